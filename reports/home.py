"""What the home page shows of the dashboard and the year's evaluation, by role: the
leaders' poverty figures and a way in, the latest year-end report and its award winners;
an agency's own programs and quarters, a partner's own pledges, and where each stands in
this year's awards."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from programs.models import Program
from reports import dashboard
from reports.awards.candidates import (
    CandidateKey,
    Ranked,
    counting_day,
    final_report,
    ranking,
    winners_by_category,
)
from reports.charts import Chart, ChartKind
from reports.models import (
    AwardCategory,
    BuildStatus,
    CandidateKind,
    ReportBuild,
    YearEndReport,
)
from reports.tables import Table
from tkpk.models import Role
from tkpk.permissions import REGION_READERS


@dataclass(frozen=True)
class PovertyGlance:
    """The region's latest poverty rate, its change and its rank in the province."""

    year: int
    rate: Decimal
    change: Decimal | None  # points against the year before
    rank: int | None
    count: int

    @property
    def rose(self) -> bool:
        return self.change is not None and self.change > 0


@dataclass(frozen=True)
class DashboardAtAGlance:
    year: int
    poverty: PovertyGlance | None = None
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    opens_dashboard: bool = False


def _poverty(year: int) -> PovertyGlance | None:
    trend = dashboard.poverty_trend(year)
    known = [row for row in trend.rows if row.cells[1] is not None]
    if not known:
        return None
    latest = known[-1]
    before = known[-2] if len(known) > 1 else None
    rank = dashboard.poverty_rank(year)
    return PovertyGlance(
        year=int(latest.cells[0]),
        rate=latest.cells[1],
        change=latest.cells[1] - before.cells[1]
        if before and int(before.cells[0]) == int(latest.cells[0]) - 1
        else None,
        rank=rank.extra["rank"],
        count=rank.extra["count"],
    )


def dashboard_at_a_glance(user, *, today: datetime.date) -> DashboardAtAGlance:
    year = dashboard.shown_year(today)
    if user.role in REGION_READERS:
        return DashboardAtAGlance(year, poverty=_poverty(year), opens_dashboard=True)
    if user.role == Role.AGENCY and user.agency_id:
        own = Program.objects.led_or_joined_by(user.agency_id)
        return DashboardAtAGlance(
            year,
            tables=[
                dashboard.programs_table(year, programs=own),
                dashboard.agencies_table(year, today=today, agency_id=user.agency_id),
            ],
        )
    if user.role == Role.PARTNER and user.partner_id:
        mine = dashboard.partners_table(year, partner_id=user.partner_id)
        return DashboardAtAGlance(
            year,
            charts=[
                Chart(mine, ChartKind.HBAR, series=(mine.column_index(_("Realised of pledged")),))
            ]
            if mine.rows
            else [],
        )
    return DashboardAtAGlance(year)


# --- the year-end report and the awards ---------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where the operator's own agency or partner stands in one award category.
    `announced`: the year's report is final, so a confirmed win may be shown; before that
    the winners are the rakor's to announce."""

    category: str
    rank: int | None
    count: int
    ranked: Ranked
    announced: bool = False


@dataclass(frozen=True)
class YearEndGlance:
    """The latest year-end report and its winners (leaders and the secretariat), or the
    operator's own standing in this year's awards (agencies and partners)."""

    year: int
    report: YearEndReport | None = None
    build: ReportBuild | None = None
    winners: list[tuple[str, list[str]]] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)

    @property
    def shows_anything(self) -> bool:
        return bool(self.report or self.winners or self.standings)


def _standings(key: CandidateKey, year: int, today: datetime.date) -> list[Standing]:
    found = []
    day = counting_day(year, today)  # a final year is counted as it was signed
    announced = final_report(year) is not None
    for category in AwardCategory.objects.filter(year=year):
        ranked = ranking(category, today=day)
        own = next((r for r in ranked if r.key == key), None)
        if own:
            count = sum(1 for r in ranked if r.rank is not None)
            found.append(Standing(category.name, own.rank, count, own, announced))
    return found


def year_end_at_a_glance(user, *, today: datetime.date) -> YearEndGlance:
    if user.role in REGION_READERS:
        report = YearEndReport.objects.select_related("finalised_by").first()  # newest year
        if report is None:
            return YearEndGlance(today.year, winners=winners_by_category(today.year))
        build = report.builds.filter(status=BuildStatus.DONE).exclude(pdf="").first()
        return YearEndGlance(report.year, report, build, winners_by_category(report.year))
    if user.role == Role.AGENCY and user.agency_id:
        key = CandidateKey(CandidateKind.AGENCY, user.agency_id)
    elif user.role == Role.PARTNER and user.partner_id:
        key = CandidateKey(CandidateKind.PARTNER, user.partner_id)
    else:
        return YearEndGlance(today.year)
    return YearEndGlance(today.year, standings=_standings(key, today.year, today))
