"""The households behind a village's number on the dashboard, by the same rules that
counted it (reports/summaries.py): one village at a time, read from the register."""

from django.db.models import F, QuerySet

from households.models import Area, Household
from households.selectors import POOREST_DESIL, households_with_summary
from programs.models import Enrollment
from programs.selectors import Outcome, enrollment_outcomes
from reports.summaries import poor_unreached


def _reached(village: Area, year: int) -> QuerySet:
    return Enrollment.objects.holding_a_place().in_year(year).filter(village=village)


def _moved_up(village: Area, year: int) -> list[int]:
    """Households enrolled in the village in `year` whose desil is higher than at enrolment."""
    enrollments = Enrollment.objects.in_year(year).filter(village=village)
    return sorted(
        {
            household
            for _v, household, found in enrollment_outcomes(enrollments)
            if found == Outcome.UP
        }
    )


def village_list(village: Area, measure: str, *, year: int) -> QuerySet:
    """Households of one measure of `village` (see dashboard.MAP_MEASURES), poorest first."""
    if measure == "desil":
        households = Household.objects.filter(village=village, desil__lte=POOREST_DESIL)
    elif measure == "peserta":
        households = Household.objects.filter(pk__in=_reached(village, year).values("household"))
    elif measure == "eksklusi":
        households = poor_unreached(year).filter(village=village)
    else:
        households = Household.objects.filter(pk__in=_moved_up(village, year))
    return households_with_summary(households).order_by(F("desil").asc(nulls_last=True), "no_kk")


def with_programs(households, *, year: int) -> None:
    """Give each household of a page `programs`: the programs of `year` reaching it."""
    ids = [household.pk for household in households]
    reached: dict[int, list] = {}
    enrollments = (
        Enrollment.objects.holding_a_place()
        .in_year(year)
        .filter(household__in=ids)
        .select_related("program")
        .order_by("program__code")
    )
    for enrollment in enrollments:
        programs = reached.setdefault(enrollment.household_id, [])
        if enrollment.program not in programs:
            programs.append(enrollment.program)
    for household in households:
        household.programs = reached.get(household.pk, [])
