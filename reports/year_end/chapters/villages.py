"""The appendix: each district's villages with every register and program figure the
dashboard's district page shows, from the same table (reports.dashboard.areas_table), so
the two cannot differ; chapter 2 draws the same tables as maps."""

from dataclasses import replace

from django.conf import settings
from django.utils.translation import gettext as _

from households.models import Area, AreaLevel
from reports.dashboard import Place, areas_table
from reports.models import AreaSummary
from reports.tables import Table
from reports.year_end.chapters.common import gap
from reports.year_end.content import Chapter, Section, TableBlock


def _districts() -> list[Area]:
    return list(
        Area.objects.within(settings.TKPK_REGION_CODE)
        .filter(level=AreaLevel.DISTRICT)
        .order_by("code")
    )


def has_village_figures(year: int) -> bool:
    """Whether the summaries of `year` count any village of the region."""
    villages = Area.objects.within(settings.TKPK_REGION_CODE).filter(level=AreaLevel.VILLAGE)
    return AreaSummary.objects.filter(area__in=villages, year=year).exists()


def district_villages(year: int) -> list[tuple[Area, Table]]:
    """Each district of the region with the dashboard's table of its villages of `year`."""
    found = []
    for district in _districts():
        table = areas_table(Place(district), year)
        found.append(
            (
                district,
                replace(
                    table,
                    slug=f"desa-{district.code}",
                    title=_("Villages of %(district)s, %(year)d")
                    % {"district": district.name, "year": year},
                ),
            )
        )
    return found


def villages_appendix(year: int) -> Chapter:
    title = _("Figures per village")
    if not has_village_figures(year):
        missing = _("The register has no figures for %(year)d yet.") % {"year": year}
        return Chapter(title=title, sections=(Section(_("Villages"), (gap(missing),)),))
    return Chapter(
        title=title,
        sections=tuple(
            Section(district.name, (TableBlock(table),))
            for district, table in district_villages(year)
        ),
    )
