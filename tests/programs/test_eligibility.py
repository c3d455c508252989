"""Each eligibility rule and the one sentence that explains it."""

import datetime

import pytest

from programs.eligibility import Rule, Rules
from programs.models import ProgramStatus
from tests.factories import ProgramFactory
from tests.programs.conftest import LANGADAI, TODAY, resident

pytestmark = pytest.mark.django_db


def refusals(program, person, *, taken=False, on=TODAY):
    return Rules(program).refusals(person, on=on, household_taken=taken)


def test_an_eligible_person_has_no_refusal(kotabaru):
    assert refusals(kotabaru, resident(desil=4)) == []


def test_desil_above_the_limit_says_both_numbers(kotabaru):
    [refusal] = refusals(kotabaru, resident(desil=6))
    assert refusal.rule == Rule.DESIL
    assert refusal.message == "desil 6 melebihi batas program, yaitu 4."
    assert refusal.overridable


def test_a_household_without_desil_is_not_eligible_for_a_desil_program(kotabaru):
    [refusal] = refusals(kotabaru, resident(desil=None))
    assert refusal.rule == Rule.DESIL


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (datetime.date(2008, 10, 7), "berumur 16 tahun, di bawah umur minimum program, 18."),
        (datetime.date(1965, 10, 6), "berumur 60 tahun, di atas umur maksimum program, 59."),
    ],
)
def test_age_is_counted_on_the_enrolment_date(kotabaru, born, message):
    [refusal] = refusals(kotabaru, resident(born=born))
    assert (refusal.rule, refusal.message) == (Rule.AGE, message)


def test_the_day_of_the_eighteenth_birthday_is_old_enough(kotabaru):
    assert refusals(kotabaru, resident(born=datetime.date(2007, 10, 6))) == []


def test_productive_age_only(db):
    program = ProgramFactory(productive_age_only=True)
    [refusal] = refusals(program, resident(born=datetime.date(1955, 1, 1)))
    assert refusal.rule == Rule.PRODUCTIVE_AGE
    assert "15–64" in refusal.message
    assert refusals(program, resident(born=datetime.date(2000, 1, 1))) == []


def test_an_unknown_birth_date_fails_an_age_rule(kotabaru):
    [refusal] = refusals(kotabaru, resident(born=None))
    assert refusal.rule == Rule.BIRTH_DATE


def test_a_village_that_is_not_a_target_is_named(kotabaru):
    [refusal] = refusals(kotabaru, resident("63.02.06.2013"))
    assert refusal.rule == Rule.VILLAGE
    assert "Wilayah 63.02.06.2013" in refusal.message
    assert not refusal.overridable


def test_a_whole_region_program_refuses_people_outside_the_region(db):
    program = ProgramFactory()
    assert refusals(program, resident(LANGADAI)) == []
    [refusal] = refusals(program, resident("63.01.01.2001"))
    assert refusal.rule == Rule.REGION


def test_one_per_household(kotabaru):
    [refusal] = refusals(kotabaru, resident(), taken=True)
    assert refusal.rule == Rule.HOUSEHOLD
    assert not refusal.overridable
    kotabaru.one_per_household = False
    assert refusals(kotabaru, resident(), taken=True) == []


def test_a_finished_program_takes_nobody(kotabaru):
    kotabaru.status = ProgramStatus.FINISHED
    [refusal] = refusals(kotabaru, resident())
    assert refusal.rule == Rule.CLOSED


def test_every_failed_rule_is_listed(kotabaru):
    found = refusals(kotabaru, resident(desil=7, born=datetime.date(1950, 1, 1)), taken=True)
    assert [r.rule for r in found] == [Rule.DESIL, Rule.AGE, Rule.HOUSEHOLD]
