"""The poverty panels: the rate over the years against the province, and the rank."""

from django.conf import settings
from django.utils.translation import gettext as _

from households.models import Area, AreaLevel
from reports.dashboard.places import TREND_YEARS
from reports.models import (
    PovertyStatistic,
)
from reports.statistics import allowed_areas, province_code
from reports.tables import Column, Kind, Row, Table


def sources_note(statistics) -> str:
    """Where `statistics` come from, naming those made up for the demo (every panel and the
    year-end document say it the same way)."""
    names = sorted({s.source for s in statistics if s.source})
    note = _("Source: %(sources)s.") % {"sources": "; ".join(names)} if names else ""
    demo = sorted({f"{s.area.name} {s.year}" for s in statistics if s.is_demo})
    if demo:
        note += " " + _("Made up for the demo, not published: %(figures)s.") % {
            "figures": ", ".join(demo)
            if len(demo) <= 6
            else _("%(count)d figures") % {"count": len(demo)}
        }
    return note.strip()


def poverty_trend(year: int) -> Table:
    """The region's poverty rate over five years against its province's."""
    region, province = settings.TKPK_REGION_CODE, province_code()
    years = range(year - TREND_YEARS + 1, year + 1)
    statistics = list(
        PovertyStatistic.objects.filter(area__in=(region, province), year__in=years).select_related(
            "area"
        )
    )
    by_key = {(s.area_id, s.year): s for s in statistics}
    names = dict(Area.objects.filter(code__in=(region, province)).values_list("code", "name"))
    rows = []
    for each in years:
        mine, theirs = by_key.get((region, each)), by_key.get((province, each))
        if mine is None and theirs is None:
            continue
        rows.append(
            Row(
                cells=(
                    str(each),
                    mine.poverty_rate if mine else None,
                    theirs.poverty_rate if theirs else None,
                    mine.poor_people if mine else None,
                    mine.extreme_poverty_rate if mine else None,
                ),
            )
        )
    return Table(
        slug="kemiskinan-tren",
        title=_("Poverty rate (P0) over the years"),
        columns=(
            Column(_("Year"), Kind.TEXT),
            Column(names.get(region, region), Kind.PERCENT, 2),
            Column(names.get(province, province), Kind.PERCENT, 2),
            Column(_("Poor people"), Kind.COUNT),
            Column(_("Extreme poverty"), Kind.PERCENT, 2),
        ),
        rows=tuple(rows),
        note=sources_note(statistics),
    )


def poverty_rank(year: int) -> Table:
    """The province's regencies and cities by poverty rate in the latest year up to `year`
    for which the region's own figure is known; the region highlighted."""
    region = settings.TKPK_REGION_CODE
    latest = (
        PovertyStatistic.objects.filter(area=region, year__lte=year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    statistics = []
    if latest is not None:
        statistics = list(
            PovertyStatistic.objects.filter(
                area__in=allowed_areas().filter(level=AreaLevel.REGENCY).values("code"),
                year=latest,
            )
            .select_related("area")
            .order_by("poverty_rate", "area__code")
        )
    rows = tuple(
        Row(
            cells=(s.area.name, rank, s.poverty_rate),
            key=s.area_id,
            highlight=s.area_id == region,
        )
        for rank, s in enumerate(statistics, start=1)
    )
    mine = next((row.cells[1] for row in rows if row.highlight), None)
    title = _("Poverty rate of the province's regencies and cities")
    if latest is not None:
        title = _("Poverty rate of the province's regencies and cities, %(year)d") % {
            "year": latest
        }
    return Table(
        slug="kemiskinan-peringkat",
        title=title,
        columns=(
            Column(_("Regency/city"), Kind.TEXT),
            Column(_("Rank"), Kind.COUNT),
            Column(_("Poverty rate (P0)"), Kind.PERCENT, 2),
        ),
        rows=rows,
        note=sources_note(statistics)
        + (
            " "
            + _("Rank 1 is the lowest rate; this region is number %(rank)d of %(count)d.")
            % {"rank": mine, "count": len(rows)}
            if mine
            else ""
        ),
        extra={"highlight_label": _("this region"), "rank": mine, "count": len(rows)},
    )
