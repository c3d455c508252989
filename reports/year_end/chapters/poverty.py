"""Chapter 2: poverty conditions and trends — the published statistics over five years
against the province and its other regencies, and the register by desil, district and
village with the maps (every figure of each village is in the appendix, villages.py)."""

from django.conf import settings
from django.utils.translation import gettext as _

from reports.charts import Chart, ChartKind
from reports.dashboard import (
    Place,
    areas_table,
    poverty_rank,
    poverty_trend,
    register_by_desil,
)
from reports.dashboard.places import TREND_YEARS
from reports.dashboard.poverty import sources_note
from reports.models import PovertyStatistic
from reports.statistics import INDICATOR_BY_FIELD, allowed_areas, indicator_column, province_code
from reports.tables import Column, Kind, Row, Table
from reports.year_end.chapters.common import gap, narrowed
from reports.year_end.chapters.villages import district_villages
from reports.year_end.content import Chapter, ChartBlock, Section, TableBlock

# The figures the issue names, in the order BPS publishes them, with their tables' slugs.
SLUGS = {
    "poverty_rate": "kemiskinan-p0",
    "poor_people": "kemiskinan-jumlah",
    "poverty_gap": "kemiskinan-p1",
    "poverty_severity": "kemiskinan-p2",
    "poverty_line": "kemiskinan-garis",
    "extreme_poverty_rate": "kemiskinan-ekstrem",
}
FIELDS = tuple(SLUGS)


def poverty_chapter(year: int, region: Place) -> Chapter:
    statistics = _statistics(year)
    return Chapter(
        title=_("Poverty conditions and trends"),
        sections=(
            _trend_section(year, region, statistics),
            _comparison_section(year, statistics),
            *_register_sections(year, region),
        ),
    )


def _years(year: int) -> range:
    return range(year - TREND_YEARS + 1, year + 1)


def _statistics(year: int) -> list[PovertyStatistic]:
    """The five years' figures of the region, its province and the province's regencies."""
    return list(
        PovertyStatistic.objects.filter(
            area__in=allowed_areas().values("code"), year__in=_years(year)
        ).select_related("area")
    )


def _trend_section(year: int, region: Place, statistics: list[PovertyStatistic]) -> Section:
    years = _years(year)
    title = _("Poverty over five years")
    mine = [s for s in statistics if s.area_id == settings.TKPK_REGION_CODE]
    if not mine:
        return Section(title, (gap(_no_statistics(years)),))
    by_year = {s.year: s for s in mine}
    table = Table(
        slug="kemiskinan-indikator",
        title=_("Poverty indicators of %(area)s, %(first)d–%(last)d")
        % {"area": region.area.name, "first": years[0], "last": years[-1]},
        columns=(
            Column(_("Year"), Kind.TEXT),
            *(indicator_column(INDICATOR_BY_FIELD[field]) for field in FIELDS),
        ),
        rows=tuple(
            Row(cells=(str(each), *(getattr(by_year[each], field) for field in FIELDS)))
            for each in years
            if each in by_year
        ),
        note=sources_note(mine),
    )
    lines = poverty_trend(year)
    province = region.area.parent.name if region.area.parent_id else province_code()
    trend = Chart(
        lines,
        ChartKind.LINE,
        series=(lines.column_index(region.area.name), lines.column_index(province)),
    )
    return Section(title, (TableBlock(table), ChartBlock(trend)))


def _no_statistics(years: range) -> str:
    return _("No poverty statistics of %(first)d–%(last)d have been entered.") % {
        "first": years[0],
        "last": years[-1],
    }


def _comparison_section(year: int, statistics: list[PovertyStatistic]) -> Section:
    """The rank among the province's regencies, then each indicator's five years, area by area."""
    title = _("Against the province and its regencies and cities")
    if not statistics:
        return Section(title, (gap(_no_statistics(_years(year))),))
    rank = poverty_rank(year)
    blocks = [
        ChartBlock(Chart(rank, ChartKind.HBAR, series=(rank.column_index(_("Poverty rate (P0)")),)))
    ]
    for field in FIELDS:
        table = _indicator_table(field, year, statistics)
        if table.rows:
            blocks.append(TableBlock(table))
    return Section(title, tuple(blocks))


def _area_order(code: str) -> tuple:
    """The region first, then its province, then the other regencies by code."""
    return (code != settings.TKPK_REGION_CODE, code != province_code(), code)


def _indicator_table(field: str, year: int, statistics: list[PovertyStatistic]) -> Table:
    indicator = INDICATOR_BY_FIELD[field]
    shown = indicator_column(indicator)
    years = _years(year)
    values = {(s.area_id, s.year): getattr(s, field) for s in statistics}
    names = {s.area_id: s.area.name for s in statistics}
    rows = []
    for code in sorted(names, key=_area_order):
        cells = tuple(values.get((code, each)) for each in years)
        if any(value is not None for value in cells):
            rows.append(
                Row(
                    cells=(names[code], *cells),
                    key=code,
                    highlight=code == settings.TKPK_REGION_CODE,
                )
            )
    counted = [s for s in statistics if getattr(s, field) is not None]
    return Table(
        slug=SLUGS[field],
        title=_("%(indicator)s by regency and city, %(first)d–%(last)d")
        % {"indicator": shown.label, "first": years[0], "last": years[-1]},
        columns=(
            Column(_("Area"), Kind.TEXT),
            *(Column(str(each), shown.kind, shown.decimals) for each in years),
        ),
        rows=tuple(rows),
        note=sources_note(counted),
    )


def _register_sections(year: int, region: Place) -> tuple[Section, ...]:
    title = _("The register by desil and district")
    desil = register_by_desil(region, year)
    # Before the area list is loaded the region is not in the database and has no summary.
    if region.area._state.adding or not desil.rows:
        return (
            Section(
                title,
                (gap(_("The register has no figures for %(year)d yet.") % {"year": year}),),
            ),
        )
    by_desil = Chart(desil, ChartKind.BAR, series=(desil.column_index(_("Households")),))
    districts = areas_table(region, year)
    return (
        Section(title, (ChartBlock(by_desil), ChartBlock(_share_map(districts)))),
        _villages_section(year),
    )


def _share_map(table: Table) -> Chart:
    """The areas of `table` coloured by their share of households in desil 1–4."""
    return Chart(table, ChartKind.MAP, series=(table.column_index(_("Share in desil 1–4")),))


def _villages_section(year: int) -> Section:
    """Each district's villages on a map with the few figures it draws; the appendix prints
    the same villages' every figure, so no table is printed twice."""
    blocks = []
    for district, villages in district_villages(year):
        if not any(villages.column_values(villages.column_index(_("Households")))):
            continue  # no village of it is in the register: nothing to draw
        short = narrowed(
            villages,
            (_("Village"), _("Households"), _("Households in desil 1–4"), _("Share in desil 1–4")),
            slug=f"peta-desa-{district.code}",
            title=_("Villages of %(district)s: share of households in desil 1–4")
            % {"district": district.name},
            note=_(
                "From the register's latest DTSEN load; every figure of these villages is in "
                "the appendix."
            ),
        )
        blocks.append(ChartBlock(_share_map(short)))
    if not blocks:
        blocks.append(gap(_("The register has no village figures for %(year)d.") % {"year": year}))
    return Section(_("The register by village"), tuple(blocks))
