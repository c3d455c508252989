"""The year-end document's content, computed from the data (reports.year_end.content).

One module per chapter, each reading the summaries and small tables, never the live
register row by row:

- introduction: 1, the secretariat's introduction;
- poverty: 2, statistics over five years against the province, the register by desil,
  district and village with the maps;
- programs: 3, programs per pillar with budget by source and reach;
- plans, agencies: 4, the agencies' verified action plans and their achievement;
- partners: 5, pledged against realised and the partner target;
- coordination: 6, the narratives and the awards;
- villages: the appendix of village figures, the dashboard's district tables;
- document: the whole, and whether a year has anything to report.
"""

from reports.year_end.chapters.document import document_compute, has_anything

__all__ = ["document_compute", "has_anything"]
