"""Rebuild the dashboard's summary tables for a year, in the background after each change.

Services that change what the dashboard counts send `tkpk.signals.figures_changed` with
the years it moves; once their transaction commits, `summaries_refresh_request` records
the request for each year and enqueues `summaries_refresh_task`. The task rebuilds the
year's summaries unless another worker is already at it, and goes round again while
requests keep coming in, so a burst of enrolments costs one or two rebuilds, not one each.

The rules counted here are the product's own, called, not rewritten: a place held
(`EnrollmentStatus.holding_a_place`), a program's year (`in_year`), the exclusion of a
program (`programs.reach.excluded_households`, counted once per `exclusion_rules`), a
participant's outcome (`programs.selectors.enrollment_outcomes`), an agency's quarter
(`programs.plan_selectors.overview`).
Only the area figures add one rule of their own, in `poor_unreached`: a poor household
(desil 1–4) that no program of the year reaches is excluded.
"""

import datetime
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Now
from django.utils import timezone

from households.models import Area, Household, Person
from households.selectors import POOREST_DESIL
from programs.models import Enrollment, Program, VillageQuota
from programs.plan_selectors import overview
from programs.reach import excluded_households, exclusion_rules
from programs.selectors import Outcome, enrollment_outcomes, graduation
from reports.models import AgencyQuarterSummary, AreaSummary, ProgramSummary, SummaryRefresh
from reports.models.summaries import DESIL_SLOTS

# A rebuild that has not finished after this long is taken to have died with its worker.
STALE_AFTER = datetime.timedelta(minutes=15)


def counting_day(year: int, today: datetime.date) -> datetime.date:
    """The day a year's figures are counted on: today, or the year's last day once it is over."""
    return min(today, datetime.date(year, 12, 31))


# --- areas ---------------------------------------------------------------------------------


@dataclass
class _Tally:
    """One area's figures while they are counted; sets so that nobody counts twice upwards."""

    households: int = 0
    people: int = 0
    by_desil: list[int] = field(default_factory=lambda: [0] * DESIL_SLOTS)
    participants: set = field(default_factory=set)
    reached: set = field(default_factory=set)
    excluded: int = 0
    graduated: set = field(default_factory=set)
    measured: set = field(default_factory=set)

    def add(self, other: "_Tally") -> None:
        self.households += other.households
        self.people += other.people
        self.by_desil = [a + b for a, b in zip(self.by_desil, other.by_desil, strict=True)]
        self.participants |= other.participants
        self.reached |= other.reached
        self.excluded += other.excluded
        self.graduated |= other.graduated
        self.measured |= other.measured

    def row(self, area_id: str, year: int) -> AreaSummary:
        return AreaSummary(
            area_id=area_id,
            year=year,
            households=self.households,
            people=self.people,
            households_by_desil=self.by_desil,
            participants=len(self.participants),
            reached_households=len(self.reached),
            excluded_households=self.excluded,
            graduated_households=len(self.graduated),
            measured_households=len(self.measured),
        )


def poor_unreached(year: int):
    """The region's poor households (desil 1–4) that no program of `year` reaches."""
    reached = Enrollment.objects.holding_a_place().in_year(year).filter(household=OuterRef("pk"))
    return (
        Household.objects.in_area(settings.TKPK_REGION_CODE)
        .filter(desil__lte=POOREST_DESIL)
        .filter(~Exists(reached))
    )


def _village_tallies(year: int) -> dict[str, _Tally]:
    region = settings.TKPK_REGION_CODE
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    households = Household.objects.in_area(region).order_by()
    for village, desil, n in households.values_list("village", "desil").annotate(n=Count("pk")):
        tally = tallies[village]
        tally.households += n
        tally.by_desil[desil or 0] += n
    people = Person.objects.in_area(region).order_by()
    for village, n in people.values_list("household__village").annotate(n=Count("pk")):
        tallies[village].people += n
    holding = Enrollment.objects.holding_a_place().in_year(year).order_by()
    for village, person, household in holding.values_list("village", "person", "household"):
        tallies[village].participants.add(person)
        tallies[village].reached.add(household)
    excluded = poor_unreached(year).order_by().values_list("village").annotate(n=Count("pk"))
    for village, n in excluded:
        tallies[village].excluded += n
    _count_graduation(year, tallies)
    return tallies


def _count_graduation(year: int, tallies: dict[str, _Tally]) -> None:
    """A household reached in the year graduated when any of its participants' outcome is up."""
    for village, household, found in enrollment_outcomes(Enrollment.objects.in_year(year)):
        if found == Outcome.NOT_YET:
            continue
        tallies[village].measured.add(household)
        if found == Outcome.UP:
            tallies[village].graduated.add(household)


def _area_summaries(year: int) -> list[AreaSummary]:
    villages = _village_tallies(year)
    parents = dict(
        Area.objects.within(settings.TKPK_REGION_CODE).villages().values_list("code", "parent")
    )
    districts: dict[str, _Tally] = {
        code: _Tally()
        for code in Area.objects.within(settings.TKPK_REGION_CODE)
        .districts()
        .values_list("code", flat=True)
    }
    region = _Tally()
    rows = []
    for code in parents:
        tally = villages.get(code, _Tally())
        districts[parents[code]].add(tally)
        rows.append(tally.row(code, year))
    for code, tally in districts.items():
        region.add(tally)
        rows.append(tally.row(code, year))
    if Area.objects.filter(code=settings.TKPK_REGION_CODE).exists():
        rows.append(region.row(settings.TKPK_REGION_CODE, year))
    return rows


# --- programs ------------------------------------------------------------------------------


def _planned(programs: Iterable[int]) -> dict[int, int | None]:
    """Places planned per program: the sum of its village quotas, None when any is unlimited
    or it has none."""
    rows = (
        VillageQuota.objects.filter(program__in=programs)
        .order_by()
        .values_list("program")
        .annotate(total=Sum("quota"), unlimited=Count("pk", filter=Q(quota__isnull=True)))
    )
    return {program: (None if unlimited else total) for program, total, unlimited in rows}


def _program_summaries(year: int, on: datetime.date) -> list[ProgramSummary]:
    programs = list(Program.objects.in_year(year).prefetch_related("quotas"))
    people: dict[int, set] = defaultdict(set)
    households: dict[int, set] = defaultdict(set)
    programs_of: Counter = Counter()
    holding = Enrollment.objects.holding_a_place().in_year(year).order_by()
    for program, person, household in holding.values_list("program", "person", "household"):
        if person not in people[program]:
            programs_of[person] += 1
        people[program].add(person)
        households[program].add(household)
    planned = _planned(p.pk for p in programs)
    # Many programs share their rules (the whole region, desil 1–4): count each set once.
    excluded: dict[tuple, int] = {}
    rows = []
    for program in programs:
        rules = exclusion_rules(program)
        if rules not in excluded:
            excluded[rules] = excluded_households(program, on=on).count()
        outcomes = graduation(program)
        rows.append(
            ProgramSummary(
                program=program,
                year=year,
                planned=planned.get(program.pk),
                reached_people=len(people[program.pk]),
                reached_households=len(households[program.pk]),
                overlap_people=sum(1 for p in people[program.pk] if programs_of[p] > 1),
                excluded_households=excluded[rules],
                graduated=outcomes.total[Outcome.UP],
                measured=outcomes.measured,
            )
        )
    return rows


# --- action plans --------------------------------------------------------------------------


def _agency_quarter_summaries(year: int, today: datetime.date) -> list[AgencyQuarterSummary]:
    rows = []
    for row in overview(year, today=today):
        verified = row.plan is not None and row.plan.was_verified
        for cell in row.cells:
            achievement = cell.achievement
            rows.append(
                AgencyQuarterSummary(
                    agency=row.agency,
                    year=year,
                    quarter=cell.quarter,
                    has_verified_plan=verified,
                    report_status=cell.report_status or "",
                    due_on=cell.due_on,
                    achievement=achievement.ratio if achievement else None,
                    absorption=achievement.absorption if achievement else None,
                    budget=achievement.budget if achievement else 0,
                    spent=achievement.spent if achievement else 0,
                )
            )
    return rows


# --- the rebuild ---------------------------------------------------------------------------


def summaries_refresh(year: int, *, today: datetime.date | None = None) -> SummaryRefresh:
    """Rebuild every summary of `year` from the live data, in one transaction."""
    today = today or timezone.localdate()
    started = time.monotonic()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # inside another transaction its first query has fixed the snapshot
            _one_snapshot()
        areas = _area_summaries(year)
        programs = _program_summaries(year, counting_day(year, today))
        agencies = _agency_quarter_summaries(year, today)
        for model in (AreaSummary, ProgramSummary, AgencyQuarterSummary):
            model.objects.filter(year=year).delete()
        AreaSummary.objects.bulk_create(areas, batch_size=2000)
        ProgramSummary.objects.bulk_create(programs, batch_size=500)
        AgencyQuarterSummary.objects.bulk_create(agencies, batch_size=500)
        SummaryRefresh.objects.get_or_create(year=year)
        SummaryRefresh.objects.filter(year=year).update(
            finished_at=Now(),  # the database's clock, like started_at and requested_at
            seconds=time.monotonic() - started,
            version=F("version") + 1,
            error="",
        )
    return SummaryRefresh.objects.get(year=year)


def _one_snapshot() -> None:
    """Let every read of a rebuild see the data as it was when the rebuild began, so that a
    load committing meanwhile cannot leave districts counted before it and villages after.
    SQLite's transactions already do; PostgreSQL's default reads anew at each query."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def requested_years(years: Iterable[int] | None, today: datetime.date) -> list[int]:
    """The years a change asks to rebuild; None (a register change): this year and last."""
    return sorted(set(years)) if years is not None else [today.year - 1, today.year]


def summaries_refresh_request(years: Iterable[int] | None = None) -> None:
    """Ask for the summaries of `years` to be rebuilt once the current transaction commits."""
    chosen = requested_years(years, timezone.localdate())

    def enqueue() -> None:
        from reports.tasks import summaries_refresh_task

        for year in chosen:
            summaries_request_mark(year)
            summaries_refresh_task.enqueue(year)

    transaction.on_commit(enqueue)


def summaries_request_mark(year: int) -> None:
    """Record that the year's figures changed, on the database's clock, which is also the
    one `_claim` compares it with: web servers and workers may disagree on the time."""
    SummaryRefresh.objects.get_or_create(year=year)
    SummaryRefresh.objects.filter(year=year).update(requested_at=Now())


def _claim(year: int) -> bool:
    """Mark the year's rebuild as started here, unless it is up to date or running elsewhere."""
    with transaction.atomic():
        SummaryRefresh.objects.get_or_create(year=year)
        state = (
            SummaryRefresh.objects.select_for_update().annotate(database_now=Now()).get(year=year)
        )
        now = state.database_now
        running = state.started_at is not None and (
            state.finished_at is None or state.finished_at < state.started_at
        )
        if running and now - state.started_at < STALE_AFTER:
            return False  # the running rebuild goes round again for this request
        if state.requested_at is None:
            return False  # nobody asked
        if state.started_at is not None and state.requested_at <= state.started_at:
            return False  # the last rebuild began after the last request
        SummaryRefresh.objects.filter(year=year).update(started_at=Now())
    return True


def summaries_refresh_when_requested(year: int) -> int:
    """Rebuild while requests are waiting; the number of rebuilds made (0: another worker
    is at it, or nothing changed since the last one)."""
    rebuilds = 0
    while _claim(year):
        try:
            summaries_refresh(year)
        except Exception as error:
            SummaryRefresh.objects.filter(year=year).update(
                error=f"{type(error).__name__}: {error}"[:2000], started_at=None
            )
            raise
        rebuilds += 1
    return rebuilds
