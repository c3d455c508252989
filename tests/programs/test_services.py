"""Enrolling, overriding, quotas (including two clerks racing for the last place), statuses."""

import contextlib
import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from programs import services
from programs.eligibility import Rule
from programs.models import Enrollment, EnrollmentStatus, ExitReason
from programs.services import EnrollmentRefused, enrollment_status_change, program_enroll
from tests.factories import UserFactory
from tests.programs.conftest import LANGADAI, TARJUN, TODAY, resident
from tkpk.models import Role

pytestmark = pytest.mark.django_db


def test_enrolment_keeps_the_household_village_and_desil_of_that_day(kotabaru, lead_operator):
    person = resident(desil=3)
    enrollment = program_enroll(program=kotabaru, person=person, by=lead_operator, on=TODAY)
    assert (enrollment.village_id, enrollment.household_id) == (LANGADAI, person.household_id)
    assert (enrollment.desil_at_enrollment, enrollment.desil_period_at_enrollment) == (3, "2025-Q3")
    assert [(e.status, e.on, e.by) for e in enrollment.events.all()] == [
        (EnrollmentStatus.ENROLLED, TODAY, lead_operator)
    ]


def test_a_refusal_says_why_and_writes_nothing(kotabaru, lead_operator):
    with pytest.raises(EnrollmentRefused) as refused:
        program_enroll(program=kotabaru, person=resident(desil=6), by=lead_operator, on=TODAY)
    assert [r.rule for r in refused.value.refusals] == [Rule.DESIL]
    assert refused.value.overridable
    assert not Enrollment.objects.exists()


def test_the_lead_agency_overrides_the_desil_rule_with_a_written_reason(kotabaru, lead_operator):
    enrollment = program_enroll(
        program=kotabaru,
        person=resident(desil=6),
        by=lead_operator,
        on=TODAY,
        override_reason="  Rumah terbakar Agustus 2025; desil belum diperbarui.  ",
    )
    assert enrollment.override_reason == "Rumah terbakar Agustus 2025; desil belum diperbarui."


def test_an_override_does_not_set_aside_the_village_or_the_quota(kotabaru, lead_operator):
    with pytest.raises(EnrollmentRefused) as refused:
        program_enroll(
            program=kotabaru,
            person=resident("63.02.06.2013"),
            by=lead_operator,
            override_reason="Diminta kepala desa",
        )
    assert [r.rule for r in refused.value.refusals] == [Rule.VILLAGE]
    assert not refused.value.overridable


def test_another_agency_cannot_enrol(kotabaru, agency):
    clerk = UserFactory(role=Role.AGENCY, agency=agency)
    with pytest.raises(PermissionDenied):
        program_enroll(program=kotabaru, person=resident(), by=clerk)


def test_the_same_person_twice_is_refused(kotabaru, lead_operator):
    person = resident()
    program_enroll(program=kotabaru, person=person, by=lead_operator, on=TODAY)
    with pytest.raises(EnrollmentRefused) as refused:
        program_enroll(program=kotabaru, person=person, by=lead_operator, on=TODAY)
    assert refused.value.refusals[0].rule == Rule.ALREADY


def test_a_second_member_of_a_household_is_refused(kotabaru, lead_operator):
    first = resident()
    program_enroll(program=kotabaru, person=first, by=lead_operator, on=TODAY)
    from tests.factories import PersonFactory

    sibling = PersonFactory(household=first.household, birth_date=datetime.date(1995, 5, 5))
    with pytest.raises(EnrollmentRefused) as refused:
        program_enroll(program=kotabaru, person=sibling, by=lead_operator, on=TODAY)
    assert [r.rule for r in refused.value.refusals] == [Rule.HOUSEHOLD]


def test_a_full_quota_is_named_and_an_exit_frees_the_place(kotabaru, lead_operator):
    first = program_enroll(program=kotabaru, person=resident(TARJUN), by=lead_operator, on=TODAY)
    with pytest.raises(EnrollmentRefused) as refused:
        program_enroll(
            program=kotabaru,
            person=resident(TARJUN),
            by=lead_operator,
            on=TODAY,
            override_reason="tetap",
        )
    assert refused.value.refusals[0].rule == Rule.QUOTA
    assert "Tarjun (1)" in refused.value.refusals[0].message
    enrollment_status_change(
        enrollment=first,
        status=EnrollmentStatus.EXITED,
        exit_reason=ExitReason.MOVED,
        by=lead_operator,
        on=TODAY,
    )
    program_enroll(program=kotabaru, person=resident(TARJUN), by=lead_operator, on=TODAY)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_racing_for_the_last_place_one_wins(kotabaru, lead_operator, monkeypatch):
    """On PostgreSQL, two real connections: the program row's lock makes the count exact."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the row lock is PostgreSQL's")
    people = [resident(TARJUN), resident(TARJUN)]
    counted = services.places_taken
    both_counting = threading.Barrier(2, timeout=5)

    def slow_count(program, village_id):
        # Without the lock, both threads would count 0 here and both would insert.
        n = counted(program, village_id)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_counting.wait(timeout=1)  # the other thread waits on the lock: as it should
        return n

    monkeypatch.setattr(services, "places_taken", slow_count)
    start = threading.Barrier(2)
    outcomes = []

    def enrol(person):
        start.wait()
        try:
            program_enroll(program=kotabaru, person=person, by=lead_operator, on=TODAY)
            outcomes.append("enrolled")
        except EnrollmentRefused as refused:
            outcomes.append(refused.refusals[0].rule)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["enrolled", Rule.QUOTA])
    assert Enrollment.objects.filter(village_id=TARJUN).count() == 1


def test_statuses_move_forward_with_a_dated_history(kotabaru, lead_operator):
    enrollment = program_enroll(program=kotabaru, person=resident(), by=lead_operator, on=TODAY)
    enrollment_status_change(
        enrollment=enrollment,
        status=EnrollmentStatus.ACTIVE,
        by=lead_operator,
        on=datetime.date(2025, 10, 13),
    )
    enrollment_status_change(
        enrollment=enrollment,
        status=EnrollmentStatus.GRADUATED,
        by=lead_operator,
        on=datetime.date(2026, 3, 31),
        note="Usaha warung berjalan",
    )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.GRADUATED
    assert [(e.status, e.note) for e in enrollment.events.all()] == [
        ("enrolled", ""),
        ("active", ""),
        ("graduated", "Usaha warung berjalan"),
    ]
    with pytest.raises(ValidationError):
        enrollment_status_change(
            enrollment=enrollment, status=EnrollmentStatus.ACTIVE, by=lead_operator
        )


def test_an_exit_needs_a_reason_and_a_date_not_before_the_last_change(kotabaru, lead_operator):
    enrollment = program_enroll(program=kotabaru, person=resident(), by=lead_operator, on=TODAY)
    with pytest.raises(ValidationError) as error:
        enrollment_status_change(
            enrollment=enrollment, status=EnrollmentStatus.EXITED, by=lead_operator
        )
    assert "exit_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        enrollment_status_change(
            enrollment=enrollment,
            status=EnrollmentStatus.EXITED,
            exit_reason=ExitReason.DIED,
            by=lead_operator,
            on=datetime.date(2025, 1, 1),
        )
    assert "on" in error.value.message_dict


def test_income_is_recorded_by_those_who_manage_the_program(kotabaru, lead_operator, users):
    enrollment = program_enroll(program=kotabaru, person=resident(), by=lead_operator, on=TODAY)
    services.income_record(enrollment=enrollment, amount=Decimal(850_000), by=lead_operator)
    assert enrollment.incomes.get().amount == 850_000
    with pytest.raises(PermissionDenied):
        services.income_record(enrollment=enrollment, amount=Decimal(1), by=users[Role.AGENCY])


def test_a_status_date_in_the_future_is_refused(kotabaru, lead_operator):
    enrollment = program_enroll(program=kotabaru, person=resident(), by=lead_operator, on=TODAY)
    with pytest.raises(ValidationError) as error:
        enrollment_status_change(
            enrollment=enrollment,
            status=EnrollmentStatus.ACTIVE,
            by=lead_operator,
            on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert "on" in error.value.message_dict


def test_income_is_for_empowerment_programs_only(kotabaru, lead_operator):
    kotabaru.kind = "social_assistance"
    kotabaru.save()
    enrollment = program_enroll(program=kotabaru, person=resident(), by=lead_operator, on=TODAY)
    with pytest.raises(ValidationError):
        services.income_record(enrollment=enrollment, amount=Decimal(1), by=lead_operator)


def test_someone_who_left_is_told_so_when_enrolled_again(kotabaru, lead_operator):
    person = resident()
    enrollment = program_enroll(program=kotabaru, person=person, by=lead_operator, on=TODAY)
    enrollment_status_change(
        enrollment=enrollment,
        status=EnrollmentStatus.EXITED,
        exit_reason=ExitReason.REFUSED,
        by=lead_operator,
        on=datetime.date(2025, 10, 20),
    )
    with pytest.raises(EnrollmentRefused) as refused:
        program_enroll(program=kotabaru, person=person, by=lead_operator)
    assert refused.value.refusals[0].message == (
        "keluar dari program ini pada 20-10-2025 (menolak) dan tidak bisa ikut lagi."
    )
