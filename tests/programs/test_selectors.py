"""Quotas per village, graduation measured in the register, the eligible list's order."""

import datetime

import pytest

from households.models import Household
from programs.eligibility import Rules
from programs.models import EnrollmentStatus
from programs.selectors import (
    Outcome,
    eligible_people,
    graduation,
    outcome,
    quota_rows,
    running_programs_of,
)
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory
from tests.programs.conftest import LANGADAI, TARJUN, TODAY, resident


@pytest.mark.parametrize(
    ("then", "now", "latest", "expected"),
    [
        ((3, "2025-Q2"), (6, "2025-Q3"), "2025-Q3", Outcome.UP),
        ((3, "2025-Q2"), (3, "2025-Q3"), "2025-Q3", Outcome.SAME),
        ((3, "2025-Q2"), (1, "2025-Q3"), "2025-Q3", Outcome.DOWN),
        ((3, "2025-Q2"), (3, "2025-Q2"), "2025-Q3", Outcome.LEFT),
        ((3, "2025-Q3"), (3, "2025-Q3"), "2025-Q3", Outcome.NOT_YET),
        ((None, ""), (3, "2025-Q3"), "2025-Q3", Outcome.NOT_YET),
        ((None, ""), (None, ""), "2025-Q3", Outcome.NOT_YET),  # no desil ever: not "left"
    ],
)
def test_outcome(then, now, latest, expected):
    found = outcome(
        desil_then=then[0],
        period_then=then[1],
        desil_now=now[0],
        period_now=now[1],
        latest_in_village=latest,
    )
    assert found == expected


@pytest.mark.django_db
def test_graduation_counts_per_program_and_village(kotabaru):
    def participant(village, then, now, period_now="2025-Q3"):
        person = resident(village, desil=now)
        Household.objects.filter(pk=person.household_id).update(desil_period=period_now)
        EnrollmentFactory(
            program=kotabaru,
            person=person,
            desil_at_enrollment=then,
            desil_period_at_enrollment="2025-Q2",
        )

    participant(LANGADAI, 2, 5)
    participant(LANGADAI, 2, 2)
    participant(TARJUN, 3, 1)
    participant(TARJUN, 3, 3, period_now="2025-Q2")  # missing from Tarjun's 2025-Q3
    found = graduation(kotabaru)
    assert found.total == {Outcome.UP: 1, Outcome.SAME: 1, Outcome.DOWN: 1, Outcome.LEFT: 1}
    assert found.by_village[TARJUN] == {Outcome.DOWN: 1, Outcome.LEFT: 1}
    assert found.measured == 4


@pytest.mark.django_db
def test_quota_rows_count_places_held_not_exits(kotabaru):
    EnrollmentFactory(program=kotabaru, person=resident(LANGADAI))
    EnrollmentFactory(
        program=kotabaru,
        person=resident(LANGADAI),
        status=EnrollmentStatus.EXITED,
        exit_reason="moved",
    )
    rows = {row.village.code: row for row in quota_rows(kotabaru)}
    assert (rows[LANGADAI].taken, rows[LANGADAI].left, rows[LANGADAI].percent) == (1, 3, 25)
    assert (rows[TARJUN].taken, rows[TARJUN].left) == (0, 1)


@pytest.mark.django_db
def test_the_eligible_list_is_poorest_first_and_leaves_out_who_cannot_join(kotabaru):
    poorer = resident(desil=1)
    poor = resident(desil=3)
    resident(desil=5)  # above the limit
    resident(desil=2, born=datetime.date(1950, 1, 1))  # too old
    taken = resident(desil=1)
    EnrollmentFactory(program=kotabaru, person=taken)
    sibling = PersonFactory(household=taken.household, birth_date=datetime.date(1992, 2, 2))
    found = list(eligible_people(Rules(kotabaru), LANGADAI, on=TODAY))
    assert found == [poorer, poor]
    assert sibling not in found


@pytest.mark.django_db
def test_a_person_in_another_running_program_is_flagged(kotabaru):
    person = resident()
    other = ProgramFactory(name="Bantuan Sembako")
    EnrollmentFactory(program=other, person=person)
    assert running_programs_of([person.pk], exclude=kotabaru) == {person.pk: [other]}
