"""The leaders' dashboard as tables: every panel's numbers, read from the summaries.

Each panel function returns a `reports.tables.Table`; the page draws its chart from it
(reports/views/dashboard.py says which chart for which table), shows it beside the chart
and writes it as `.xlsx`, and the year-end document can do the same: one definition per
figure. Nothing here reads the live register: the area, program and agency figures come
from the summary tables (reports/summaries.py); statistics and partners are small tables
read as they are.

- places: which area and year a page looks at;
- poverty: the rate over the years and the rank in the province;
- register: households by desil, and the areas below a place with their map measures;
- work: programs by pillar, partners, agencies × quarters.
"""

from reports.dashboard.places import (
    Place,
    area_url,
    dashboard_years,
    percent,
    place_of,
    refresh_state,
    shown_year,
)
from reports.dashboard.poverty import (
    poverty_rank,
    poverty_trend,
)
from reports.dashboard.register import (
    MAP_MEASURES,
    area_figures,
    areas_table,
    list_labels,
    measure_labels,
    poor_households,
    register_by_desil,
)
from reports.dashboard.work import (
    agencies_table,
    partners_table,
    pillars_table,
    programs_table,
)

__all__ = [
    "MAP_MEASURES",
    "Place",
    "agencies_table",
    "area_figures",
    "area_url",
    "areas_table",
    "dashboard_years",
    "list_labels",
    "measure_labels",
    "partners_table",
    "percent",
    "pillars_table",
    "place_of",
    "poor_households",
    "poverty_rank",
    "poverty_trend",
    "programs_table",
    "refresh_state",
    "register_by_desil",
    "shown_year",
]
