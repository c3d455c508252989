"""Chapter 6: coordination, problems and recommendations as written, and the awards."""

import datetime

from django.utils.translation import gettext as _

from reports.models import YearEndReport
from reports.year_end.chapters.common import gap
from reports.year_end.content import Chapter, Narrative, Section, TableBlock


def coordination_chapter(report: YearEndReport, *, today: datetime.date) -> Chapter:
    written_by_hand = (
        (
            _("Coordination held during the year"),
            report.coordination,
            _("The coordination held during the year has not been written yet."),
        ),
        (_("Problems met"), report.problems, _("The problems met have not been written yet.")),
        (
            _("Recommendations"),
            report.recommendations,
            _("The recommendations have not been written yet."),
        ),
    )
    sections = [
        Section(title, (Narrative(text, missing),)) for title, text, missing in written_by_hand
    ]
    sections.append(_awards(report.year, today))
    return Chapter(title=_("Coordination, problems and recommendations"), sections=tuple(sections))


def _awards(year: int, today: datetime.date) -> Section:
    """The method in plain words with the year's weights, then one ranking per category,
    scored on `today` (whether a quarterly report is late depends on the day)."""
    # Imported here: the awards build on the year-end models, not the other way round.
    from reports.awards.scoring import method_text
    from reports.awards.tables import award_tables

    tables = award_tables(year, today=today)
    blocks = [Narrative(method_text(year))]
    blocks += [TableBlock(table) for table in tables]
    if not tables:
        blocks.append(gap(_("No award category has been set up for %(year)d.") % {"year": year}))
    return Section(_("Awards"), tuple(blocks))
