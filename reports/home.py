"""What the home page shows of the dashboard, by role: the leaders' poverty figures and a
way in, an agency's own programs and quarters, a partner's own pledges."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from programs.models import Program
from reports import dashboard
from reports.charts import Chart, ChartKind
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
            year, charts=[Chart(mine, ChartKind.HBAR, series=(4,))] if mine.rows else []
        )
    return DashboardAtAGlance(year)
