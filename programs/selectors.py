"""Reads more than one page needs: which programs a user sees, quotas, outcomes, eligible people."""

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Area, Household, Person
from programs.eligibility import Rules
from programs.models import (
    BudgetLine,
    Enrollment,
    EnrollmentStatus,
    IncomeRecord,
    Program,
    ProgramStatus,
)
from tkpk.models import Role


def programs_for(user) -> QuerySet:
    """The programs `user` may open: every one, except for a partner operator, who opens
    those its partner signed a commitment for."""
    if user.role == Role.PARTNER:
        return Program.objects.filter(
            pk__in=Program.objects.filter(commitments__partners=user.partner_id).values("pk")
        )
    return Program.objects.all()


def enrollments_of_agency(agency_id: int) -> QuerySet:
    """Enrolments in the programs `agency_id` leads or joins."""
    return Enrollment.objects.filter(
        program__in=Program.objects.led_or_joined_by(agency_id).values("pk")
    )


def people_reached_by_agency(agency_id: int) -> QuerySet:
    """The people an agency operator may open: those its own programs reach."""
    return Person.objects.filter(pk__in=enrollments_of_agency(agency_id).values("person"))


def programs_of_person(person: Person, *, among: QuerySet | None = None) -> QuerySet:
    """The person's enrolments, newest program first; only those `among`, when given."""
    enrollments = person.enrollments.all() if among is None else among.filter(person=person)
    return enrollments.select_related("program__pillar").order_by("-program__start_date")


def programs_of_household(household: Household) -> QuerySet:
    """The enrolments made for `household` (as programs/reach.py counts a household reached)."""
    return (
        Enrollment.objects.filter(household=household)
        .select_related("program__pillar", "person")
        .order_by("-program__start_date", "person__name")
    )


@dataclass(frozen=True)
class QuotaRow:
    village: Area
    quota: int | None  # None: no limit
    taken: int  # places held (everyone but those who exited)

    @property
    def left(self) -> int | None:
        return None if self.quota is None else max(0, self.quota - self.taken)

    @property
    def percent(self) -> int:
        """How full the village is, 0–100, for its bar."""
        if not self.quota:
            return 0
        return min(100, round(self.taken * 100 / self.quota))


def quota_rows(program: Program) -> list[QuotaRow]:
    """Each target village with its quota and places taken; for a whole-region program,
    the villages where it has participants."""
    taken = Enrollment.objects.places_by_village(program)
    quotas = list(program.quotas.select_related("village__parent"))
    if quotas:
        return [QuotaRow(q.village, q.quota, taken.get(q.village_id, 0)) for q in quotas]
    villages = Area.objects.filter(code__in=taken).select_related("parent").order_by("code")
    return [QuotaRow(v, None, taken[v.code]) for v in villages]


def status_counts(program: Program) -> dict[str, int]:
    counted = dict(program.enrollments.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counted.get(status, 0) for status in EnrollmentStatus.values}


class Outcome(StrEnum):
    """Where a participant's household stands in the register since enrolment."""

    UP = "up"
    SAME = "same"
    DOWN = "down"
    LEFT = "left"
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.UP: _("Moved up"),
    Outcome.SAME: _("Same desil"),
    Outcome.DOWN: _("Moved down"),
    Outcome.LEFT: _("Left the register"),
    Outcome.NOT_YET: _("No newer DTSEN yet"),
}


def outcome(
    *,
    desil_then: int | None,
    period_then: str,
    desil_now: int | None,
    period_now: str,
    latest_in_village: str | None,
) -> Outcome:
    """Compare the household's desil at enrolment with its latest DTSEN snapshot.

    A household missing from the latest period loaded for its village has left the
    register; one with no newer period than at enrolment is not measured yet.
    """
    if not period_now:  # never had a desil: nothing to measure against
        return Outcome.NOT_YET
    if latest_in_village and period_now < latest_in_village:
        return Outcome.LEFT
    if period_now <= period_then or desil_then is None or desil_now is None:
        return Outcome.NOT_YET
    if desil_now > desil_then:
        return Outcome.UP
    if desil_now < desil_then:
        return Outcome.DOWN
    return Outcome.SAME


@dataclass
class Graduation:
    """Outcomes of a program's participants, in all and per village."""

    total: Counter = field(default_factory=Counter)
    by_village: dict[str, Counter] = field(default_factory=dict)

    @property
    def measured(self) -> int:
        return sum(n for key, n in self.total.items() if key != Outcome.NOT_YET)


def enrollment_outcomes(enrollments: QuerySet) -> Iterator[tuple[str, int, Outcome]]:
    """(village enrolled in, household, outcome) for each of `enrollments`: the one reading of
    the register that graduation counts, on program pages, the dashboard and its lists.

    The latest period of each village the households now live in is read once (a household
    missing from it has left the register), not once per enrolment.
    """
    rows = list(
        enrollments.order_by().values_list(
            "village_id",
            "household_id",
            "desil_at_enrollment",
            "desil_period_at_enrollment",
            "household__desil",
            "household__desil_period",
            "household__village_id",
        )
    )
    latest = dict(
        Household.objects.filter(village__in={row[6] for row in rows})
        .order_by()
        .values_list("village")
        .annotate(period=Max("desil_period"))
    )
    for village, household, desil_then, period_then, desil_now, period_now, lives_in in rows:
        found = outcome(
            desil_then=desil_then,
            period_then=period_then,
            desil_now=desil_now,
            period_now=period_now,
            latest_in_village=latest.get(lives_in),
        )
        yield village, household, found


def graduation(program: Program) -> Graduation:
    """Each participant's outcome (those who exited included: the register still knows them)."""
    result = Graduation()
    for village, _household, found in enrollment_outcomes(program.enrollments.all()):
        result.total[found] += 1
        result.by_village.setdefault(village, Counter())[found] += 1
    return result


def budget_by_source(program: Program) -> tuple[list[BudgetLine], int]:
    lines = list(program.budget_lines.all())
    return lines, sum(line.amount for line in lines)


@dataclass(frozen=True)
class IncomeChange:
    participants: int  # with an income recorded at least twice
    first_average: int
    latest_average: int

    @property
    def change_percent(self) -> float | None:
        if not self.first_average:
            return None
        return (self.latest_average - self.first_average) * 100 / self.first_average


def income_change(program: Program) -> IncomeChange | None:
    """Average monthly income at the first and the latest record, of participants with two."""
    records = (
        IncomeRecord.objects.filter(enrollment__program=program)
        .order_by("enrollment", "on", "pk")
        .values_list("enrollment", "amount")
    )
    first: dict[int, int] = {}
    latest: dict[int, int] = {}
    counts: Counter = Counter()
    for enrollment, amount in records:
        first.setdefault(enrollment, amount)
        latest[enrollment] = amount
        counts[enrollment] += 1
    both = [e for e, n in counts.items() if n >= 2]
    if not both:
        return None
    return IncomeChange(
        participants=len(both),
        first_average=round(sum(first[e] for e in both) / len(both)),
        latest_average=round(sum(latest[e] for e in both) / len(both)),
    )


def eligible_people(rules: Rules, village_id: str, *, on: datetime.date) -> QuerySet:
    """People of `village_id` the program's rules admit and who are not in it yet, poorest
    first (latest desil, then household, head first)."""
    program = rules.program
    people = Person.objects.filter(household__village_id=village_id)
    if program.max_desil is not None:
        people = people.filter(household__desil__lte=program.max_desil)
    people = program.of_admitted_age(people, on=on)
    people = people.exclude(
        Exists(Enrollment.objects.filter(program=program, person=OuterRef("pk")))
    )
    if program.one_per_household:
        people = people.exclude(
            Exists(
                Enrollment.objects.holding_a_place().filter(
                    program=program, household=OuterRef("household")
                )
            )
        )
    return people.select_related("household__village").order_by(
        F("household__desil").asc(nulls_last=True),
        "household__no_kk",
        F("relationship").asc(nulls_last=True),
        "pk",
    )


def running_programs_of(person_ids, *, exclude: Program | None = None) -> dict[int, list[Program]]:
    """The running programs each person holds a place in (to flag, not to block)."""
    enrollments = (
        Enrollment.objects.holding_a_place()
        .filter(person__in=person_ids, program__status=ProgramStatus.RUNNING)
        .select_related("program")
    )
    if exclude is not None:
        enrollments = enrollments.exclude(program=exclude)
    found: dict[int, list[Program]] = {}
    for enrollment in enrollments:
        found.setdefault(enrollment.person_id, []).append(enrollment.program)
    return found


def region_villages() -> QuerySet:
    return Area.objects.within(settings.TKPK_REGION_CODE).villages()


def program_summaries(programs: QuerySet) -> QuerySet:
    """Programs with their participant count and total budget, for lists and home pages."""
    return programs.select_related("pillar", "lead_agency").annotate(
        participants=Count(
            "enrollments",
            filter=Q(enrollments__status__in=EnrollmentStatus.holding_a_place()),
            distinct=True,
        ),
        budget=Subquery(
            BudgetLine.objects.filter(program=OuterRef("pk"))
            .order_by()
            .values("program")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
    )


@dataclass(frozen=True)
class ProgramsAtAGlance:
    """What the home page shows of the programs: the running ones the user works on."""

    running: list  # program summaries: an operator's own agency's or partner's
    own_agency: bool
    own_partner: bool


HOME_PROGRAMS = 8


def programs_at_a_glance(user) -> ProgramsAtAGlance:
    running = programs_for(user).running_on(timezone.localdate())
    own = user.role == Role.AGENCY and user.agency_id is not None
    shown = running.led_or_joined_by(user.agency_id) if own else running
    summaries = program_summaries(shown).order_by("end_date", "code")[:HOME_PROGRAMS]
    return ProgramsAtAGlance(
        running=list(summaries),
        own_agency=own,
        own_partner=user.role == Role.PARTNER,
    )
