"""The leaders' dashboard as tables: every panel's numbers, read from the summaries.

Each function returns a `reports.tables.Table` (and the panels' charts are defined on
them in `PANELS`), so the page, its `.xlsx` downloads and the year-end document share one
definition per figure. Nothing here reads the live register: the area, program and agency
figures come from the summary tables (reports/summaries.py); statistics, partners and
pillars are small tables read as they are.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from households.models import Area, AreaLevel
from households.selectors import POOREST_DESIL
from partners.models import quantity_written
from partners.selectors import (
    partner_target_progress,
    partners_with_tallies,
    pledges_in_year,
    rupiah_total,
)
from programs.models import Program
from programs.models.plans import QUARTERS, report_late
from programs.plan_selectors import CellState, cell_state
from reports.models import (
    AgencyQuarterSummary,
    AreaSummary,
    PovertyStatistic,
    ProgramSummary,
    SummaryRefresh,
)
from reports.statistics import allowed_areas, province_code
from reports.tables import Column, Kind, Row, Table, written

TREND_YEARS = 5


def percent(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
    """part / whole in percent with two places; None when there is no whole."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


# --- what is being looked at ---------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """The area a dashboard page is about: the region, one of its districts or villages."""

    area: Area

    @property
    def level(self) -> int:
        return self.area.level

    @property
    def is_region(self) -> bool:
        return self.area.code == settings.TKPK_REGION_CODE

    @property
    def is_village(self) -> bool:
        return self.area.level == AreaLevel.VILLAGE


def place_of(code: str | None) -> Place | None:
    """The region, or an area inside it; None for an area outside the region."""
    region = settings.TKPK_REGION_CODE
    code = code or region
    area = Area.objects.within(region).filter(code=code).select_related("parent").first()
    if area is None and code == region:
        # Before the area list is loaded the region page still opens, saying it has no
        # figures yet, rather than a 404 from the menu's first link.
        area = Area(code=region, name=region, level=AreaLevel.REGENCY)
    return Place(area) if area else None


def dashboard_years() -> list[int]:
    """Years with summaries, newest first."""
    return list(
        SummaryRefresh.objects.filter(version__gt=0)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def shown_year(today: datetime.date, years: list[int] | None = None) -> int:
    """The year a dashboard shows unless asked: this year once it has figures, else the
    newest year that has (in early January, last year's until the first rebuild)."""
    years = dashboard_years() if years is None else years
    if today.year in years or not years:
        return today.year
    return max((year for year in years if year < today.year), default=years[0])


def refresh_state(year: int) -> SummaryRefresh | None:
    return SummaryRefresh.objects.filter(year=year).first()


def area_url(code: str, year: int, measure: str = "desil") -> str:
    """An area's dashboard page, showing the same year and map measure."""
    url = reverse("reports:dashboard_area", kwargs={"code": code}) + f"?tahun={year}"
    return url if measure == "desil" else f"{url}&peta={measure}"


# --- poverty statistics --------------------------------------------------------------------


def _sources(statistics) -> str:
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
        note=_sources(statistics),
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
        note=_sources(statistics)
        + (
            " "
            + _("Rank 1 is the lowest rate; this region is number %(rank)d of %(count)d.")
            % {"rank": mine, "count": len(rows)}
            if mine
            else ""
        ),
        extra={"highlight_label": _("this region"), "rank": mine, "count": len(rows)},
    )


# --- the register and the areas ------------------------------------------------------------


def _summary(area_code: str, year: int) -> AreaSummary | None:
    return AreaSummary.objects.filter(area=area_code, year=year).first()


def register_by_desil(place: Place, year: int) -> Table:
    summary = _summary(place.area.code, year)
    counts = summary.households_by_desil if summary else []
    total = summary.households if summary else 0
    rows = [
        Row(cells=(str(desil), counts[desil], percent(counts[desil], total)), highlight=False)
        for desil in range(1, 11)
        if counts
    ]
    if counts and counts[0]:
        rows.append(Row(cells=(_("No desil"), counts[0], percent(counts[0], total))))
    return Table(
        slug="register-desil",
        title=_("Households of %(area)s by national desil") % {"area": place.area.name},
        columns=(
            Column(_("Desil"), Kind.TEXT),
            Column(_("Households"), Kind.COUNT),
            Column(_("Share"), Kind.PERCENT, 2),
        ),
        rows=tuple(rows),
        note=_("Desil 1 is the poorest tenth of the country; the latest DTSEN load counts."),
    )


# The measures of an area: the map draws them (column index in `areas_table`), and a
# village's page lists the households behind each (reports/dashboard_lists.py).
MAP_MEASURES = {
    "desil": 4,
    "peserta": 6,
    "eksklusi": 7,
    "kelulusan": 8,
}


def list_labels() -> dict[str, str]:
    """What a village's list behind each measure holds: households, whatever the measure."""
    return {
        "desil": _("Households in desil 1–4"),
        "peserta": _("Households reached by a program"),
        "eksklusi": _("Poor households reached by no program"),
        "kelulusan": _("Households that moved up a desil"),
    }


def measure_labels() -> dict[str, str]:
    return {
        "desil": _("Share of households in desil 1–4"),
        "peserta": _("Households reached by a program"),
        "eksklusi": _("Poor households reached by no program"),
        "kelulusan": _("Households that moved up a desil"),
    }


def areas_table(place: Place, year: int, measure: str = "desil") -> Table:
    """The areas one level below `place`: districts of the region, villages of a district."""
    children = {area.code: area for area in Area.objects.filter(parent=place.area).order_by("code")}
    summaries = {
        s.area_id: s for s in AreaSummary.objects.filter(area__in=list(children), year=year)
    }
    rows = []
    for code, area in children.items():
        s = summaries.get(code)
        poor = poor_households(s) or 0
        rows.append(
            Row(
                cells=(
                    area.name,
                    s.households if s else 0,
                    s.people if s else 0,
                    poor,
                    percent(poor, s.households) if s else None,
                    s.participants if s else 0,
                    s.reached_households if s else 0,
                    s.excluded_households if s else 0,
                    s.graduated_households if s else 0,
                    s.measured_households if s else 0,
                ),
                link=area_url(code, year, measure),
                key=code,
            )
        )
    level = _("District") if place.level == AreaLevel.REGENCY else _("Village")
    return Table(
        slug="wilayah",
        title=_("%(area)s by %(level)s") % {"area": place.area.name, "level": level.lower()},
        columns=(
            Column(level, Kind.TEXT),
            Column(_("Households"), Kind.COUNT),
            Column(_("People"), Kind.COUNT),
            Column(_("Households in desil 1–4"), Kind.COUNT),
            Column(_("Share in desil 1–4"), Kind.PERCENT, 2),
            Column(_("Program participants"), Kind.COUNT),
            Column(_("Households reached by a program"), Kind.COUNT),
            Column(_("Poor households reached by no program"), Kind.COUNT),
            Column(_("Households that moved up a desil"), Kind.COUNT),
            Column(_("Households measured"), Kind.COUNT),
        ),
        rows=tuple(rows),
        note=_(
            "Participants hold a place in a program of %(year)d, counted in the village they "
            "were enrolled in. A poor household (desil 1–4) is excluded when no program of "
            "the year reaches it. A household moved up when its desil in a later DTSEN load "
            "is higher than at enrolment; measured: those with a later load."
        )
        % {"year": year},
    )


def area_figures(place: Place, year: int) -> AreaSummary | None:
    return _summary(place.area.code, year)


def poor_households(summary: AreaSummary | None) -> int | None:
    """Households in desil 1–4."""
    return sum(summary.households_by_desil[1 : POOREST_DESIL + 1]) if summary else None


# --- programs ------------------------------------------------------------------------------


def programs_table(year: int, *, programs=None) -> Table:
    """Each program of the year with its reach; `programs` narrows (an agency's own)."""
    chosen = Program.objects.in_year(year) if programs is None else programs.in_year(year)
    summaries = (
        ProgramSummary.objects.filter(year=year, program__in=chosen)
        .select_related("program__pillar")
        .order_by("program__pillar__order", "program__pillar", "program__code")
    )
    rows = tuple(
        Row(
            cells=(
                f"{s.program.code} {s.program.name}",
                s.program.pillar.short_name,
                s.planned,
                s.reached_people,
                percent(s.reached_people, s.planned),
                s.overlap_people,
                s.excluded_households,
                s.graduated,
                s.measured,
            ),
            link=reverse("programs:program_detail", kwargs={"code": s.program.code}),
            key=s.program.code,
        )
        for s in summaries
    )
    return Table(
        slug="program",
        title=_("Programs of %(year)d: reached against planned") % {"year": year},
        columns=(
            Column(_("Program"), Kind.TEXT),
            Column(_("Pillar"), Kind.TEXT),
            Column(_("Places planned"), Kind.COUNT),
            Column(_("People reached"), Kind.COUNT),
            Column(_("Reached of planned"), Kind.PERCENT, 2),
            Column(_("Also in another program"), Kind.COUNT),
            Column(_("Eligible households reached by no program"), Kind.COUNT),
            Column(_("Participants who moved up a desil"), Kind.COUNT),
            Column(_("Participants measured"), Kind.COUNT),
        ),
        rows=rows,
        note=_(
            "Planned: the sum of the village quotas (empty when a village has no limit). "
            "Exclusion follows each program's own rules (villages, desil, age)."
        ),
    )


def pillars_table(programs: Table) -> Table:
    """Planned and reached summed per pillar, from the programs' table."""
    totals: dict[str, list] = {}
    for row in programs.rows:
        pillar = row.cells[1]
        planned, reached = row.cells[2], row.cells[3]
        total = totals.setdefault(pillar, [0, 0, True])
        total[0] += planned or 0
        total[1] += reached
        total[2] = total[2] and planned is not None
    rows = tuple(
        Row(cells=(pillar, planned if known else None, reached))
        for pillar, (planned, reached, known) in totals.items()
    )
    return Table(
        slug="pilar",
        title=_("Programs by strategy pillar: planned and reached"),
        columns=(
            Column(_("Pillar"), Kind.TEXT),
            Column(_("Places planned"), Kind.COUNT),
            Column(_("Places held"), Kind.COUNT),
        ),
        rows=rows,
        note=programs.note
        + " "
        + _(
            "Places held: the people reached, program by program; one person in two programs "
            "of a pillar holds two places."
        ),
    )


# --- partners ------------------------------------------------------------------------------


def partners_table(year: int, *, partner_id: int | None = None) -> Table:
    """Money pledged against money realised (verified), per partner, and the year's target."""
    pledges = pledges_in_year(year)
    if partner_id is not None:
        pledges = pledges.filter(partner=partner_id)
    rows = []
    for each in partners_with_tallies(pledges):
        money = rupiah_total(each.tallies)
        places = [t for t in each.tallies if not t.in_rupiah]
        rows.append(
            Row(
                cells=(
                    each.partner.name,
                    each.partner.get_kind_display(),
                    money.pledged,
                    money.verified,
                    percent(money.verified, money.pledged),
                    "; ".join(
                        f"{t.label}: {quantity_written(t.verified)}/{quantity_written(t.pledged)}"
                        for t in places
                    ),
                ),
                link=reverse("partners:partner_detail", kwargs={"pk": each.partner.pk}),
                key=str(each.partner.pk),
            )
        )
    target = partner_target_progress(year)
    note = _("Realised: verified by the secretariat.")
    if partner_id is None and target.target:
        note += " " + _(
            "%(actual)d partners have an active commitment in %(year)d; the target is %(target)d."
        ) % {"actual": target.actual, "year": year, "target": target.target}
    return Table(
        slug="mitra",
        title=_("Partners in %(year)d: pledged and realised") % {"year": year},
        columns=(
            Column(_("Partner"), Kind.TEXT),
            Column(_("Kind"), Kind.TEXT),
            Column(_("Money pledged"), Kind.RUPIAH),
            Column(_("Money realised"), Kind.RUPIAH),
            Column(_("Realised of pledged"), Kind.PERCENT, 2),
            Column(_("Goods, jobs and places (realised/pledged)"), Kind.TEXT),
        ),
        rows=tuple(rows),
        note=note,
        extra={"target": target},
    )


# --- agencies ------------------------------------------------------------------------------


def _cell_text(summary: AgencyQuarterSummary, today: datetime.date) -> tuple[str, bool]:
    status = summary.report_status or None
    late = summary.has_verified_plan and report_late(summary.due_on, status, today)
    state = cell_state(summary.has_verified_plan, status, late)
    label = CellState(state).label
    if summary.achievement is not None and state in (CellState.VERIFIED, CellState.SUBMITTED):
        # A no-break space: "96 %" never wraps between the number and its sign.
        share = written(summary.achievement * 100, Column("", Kind.PERCENT)).replace(" ", "\u00a0")
        label = f"{label}: {share}"
    if late:
        label = _("Late") + " — " + label
    return label, late


def agencies_table(year: int, *, today: datetime.date, agency_id: int | None = None) -> Table:
    """Agencies × quarters: each report's state and achievement, late ones highlighted, and
    the latest achievement and budget absorption reported."""
    summaries = AgencyQuarterSummary.objects.filter(year=year).select_related("agency")
    if agency_id is not None:
        summaries = summaries.filter(agency=agency_id)
    by_agency: dict = {}
    for summary in summaries.order_by("agency__acronym", "quarter"):
        by_agency.setdefault(summary.agency, {})[summary.quarter] = summary
    rows, without_plan = [], []
    for agency, quarters in by_agency.items():
        if not any(summary.has_verified_plan for summary in quarters.values()):
            without_plan.append(agency.acronym)
            continue
        cells, any_late = [], False
        latest = None
        for quarter in QUARTERS:
            summary = quarters.get(quarter)
            if summary is None:
                cells.append("—")
                continue
            text, late = _cell_text(summary, today)
            any_late = any_late or late
            cells.append(text)
            if summary.achievement is not None:
                latest = summary
        rows.append(
            Row(
                cells=(
                    agency.acronym,
                    *cells,
                    latest.achievement * 100 if latest else None,
                    latest.absorption * 100 if latest and latest.absorption is not None else None,
                ),
                highlight=any_late,
                key=str(agency.pk),
            )
        )
    return Table(
        slug="perangkat-daerah",
        title=_("Agencies × quarters of %(year)d") % {"year": year},
        columns=(
            Column(_("Agency"), Kind.TEXT),
            *(Column(_("Q%(quarter)d") % {"quarter": q}, Kind.TEXT) for q in QUARTERS),
            Column(_("Achievement, latest quarter"), Kind.PERCENT, 0),
            Column(_("Budget absorption, latest quarter"), Kind.PERCENT, 0),
        ),
        rows=tuple(rows),
        note=_(
            "Achievement: realised against the cumulative target, the mean of the activities "
            "(each counted up to 100 %); only sent reports count."
        )
        + (
            " " + _("No verified plan: %(agencies)s.") % {"agencies": ", ".join(without_plan)}
            if without_plan
            else ""
        ),
        extra={"highlight_label": _("late report")},
    )
