"""Chapter 1: the introduction the secretariat writes (legal basis, members, meetings)."""

from django.utils.translation import gettext as _

from reports.models import YearEndReport
from reports.year_end.content import Chapter, Narrative


def introduction_chapter(report: YearEndReport) -> Chapter:
    missing = _(
        "The introduction (the legal basis, the TKPK's members and the year's meetings) has "
        "not been written yet."
    )
    return Chapter(
        title=_("Introduction"), sections=(), lead=(Narrative(report.introduction, missing),)
    )
