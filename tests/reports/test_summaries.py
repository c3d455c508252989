"""The summaries the dashboard reads, against the hand-built register of conftest.py."""

import datetime

import pytest
from django.utils import timezone

from programs.services import program_enroll
from reports.models import AreaSummary, ProgramSummary, SummaryRefresh
from reports.summaries import (
    STALE_AFTER,
    summaries_refresh,
    summaries_refresh_request,
    summaries_refresh_when_requested,
)
from tests.reports.conftest import YEAR
from tkpk.models import Role

TODAY = datetime.date(2026, 11, 30)


def _area(code):
    summary = AreaSummary.objects.get(area=code, year=YEAR)
    return (
        summary.households,
        summary.people,
        summary.participants,
        summary.reached_households,
        summary.excluded_households,
        summary.graduated_households,
        summary.measured_households,
    )


def test_area_figures_of_villages_districts_and_the_region(register):
    summaries_refresh(YEAR, today=TODAY)
    # households, people, participants, reached, excluded, moved up, measured
    assert _area("63.02.17.2003") == (4, 5, 1, 1, 1, 0, 1)
    assert _area("63.02.17.2004") == (2, 2, 1, 1, 1, 1, 1)
    assert _area("63.02.18.2001") == (1, 1, 0, 0, 1, 0, 0)
    assert _area("63.02.17") == (6, 7, 2, 2, 2, 1, 2)
    assert _area("63.02.18") == (1, 1, 0, 0, 1, 0, 0)
    assert _area("63.02") == (7, 8, 2, 2, 3, 1, 2)
    village = AreaSummary.objects.get(area="63.02.17.2003", year=YEAR)
    assert village.households_by_desil == [1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0]


def test_a_person_in_two_programs_counts_once_upwards(register):
    summaries_refresh(YEAR, today=TODAY)
    assert AreaSummary.objects.get(area="63.02", year=YEAR).participants == 2


def test_program_figures(register):
    summaries_refresh(YEAR, today=TODAY)
    p1 = ProgramSummary.objects.get(program=register.p1)
    assert (p1.planned, p1.reached_people, p1.overlap_people) == (8, 2, 1)
    assert (p1.excluded_households, p1.graduated, p1.measured) == (2, 1, 2)
    p2 = ProgramSummary.objects.get(program=register.p2)
    # No quotas: nothing planned; the exited participant is not reached.
    assert (p2.planned, p2.reached_people, p2.overlap_people) == (None, 1, 1)
    # The whole region, any desil: every household nobody reaches.
    assert (p2.excluded_households, p2.graduated, p2.measured) == (5, 0, 1)


def test_a_rebuild_replaces_the_year_and_counts_its_version(register):
    first = summaries_refresh(YEAR, today=TODAY)
    second = summaries_refresh(YEAR, today=TODAY)
    assert second.version == first.version + 1
    assert AreaSummary.objects.filter(area="63.02", year=YEAR).count() == 1


def test_an_enrolment_refreshes_the_summaries_once_committed(
    register, users, django_capture_on_commit_callbacks
):
    summaries_refresh(YEAR, today=TODAY)
    assert _area("63.02.17.2003")[2] == 1
    with django_capture_on_commit_callbacks(execute=True):
        program_enroll(
            program=register.p2,
            person=register.people["h2"][0],
            by=users[Role.SECRETARIAT],
            on=datetime.date(2026, 2, 1),
        )
    # Participants 2 in Langadai, and h2 is no longer excluded.
    assert _area("63.02.17.2003")[2] == 2
    assert _area("63.02.17.2003")[4] == 0
    assert SummaryRefresh.objects.get(year=YEAR).requested_at is not None


def test_nothing_is_rebuilt_without_a_request(register):
    assert summaries_refresh_when_requested(YEAR) == 0
    assert not AreaSummary.objects.exists()


def test_a_request_during_a_running_rebuild_is_left_to_it(register):
    now = timezone.now()
    SummaryRefresh.objects.create(year=YEAR, requested_at=now, started_at=now)
    assert summaries_refresh_when_requested(YEAR) == 0


def test_a_rebuild_whose_worker_died_is_taken_over(register):
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    SummaryRefresh.objects.create(year=YEAR, requested_at=timezone.now(), started_at=long_ago)
    assert summaries_refresh_when_requested(YEAR) == 1
    assert AreaSummary.objects.filter(year=YEAR).exists()


def test_a_request_outside_a_transaction_commit_waits_for_it(
    register, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summaries_refresh_request([YEAR])
    assert len(callbacks) == 1
    assert not AreaSummary.objects.exists()


def test_a_failed_rebuild_says_why_and_can_be_asked_again(register, monkeypatch):
    year = YEAR
    SummaryRefresh.objects.create(year=year, requested_at=timezone.now())

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("reports.summaries._area_summaries", broken)
    with pytest.raises(RuntimeError):
        summaries_refresh_when_requested(year)
    state = SummaryRefresh.objects.get(year=year)
    assert "database gone" in state.error
    assert state.started_at is None


def test_the_command_rebuilds_a_year(register):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("refresh_summaries", "--year", str(YEAR), stdout=out)
    assert AreaSummary.objects.filter(area="63.02", year=YEAR).exists()
    assert str(YEAR) in out.getvalue()


def test_programs_sharing_their_rules_share_one_exclusion_count_but_not_another(register):
    import datetime as dt

    from tests.factories import ProgramFactory

    whole_year = {"start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 12, 31)}
    same = ProgramFactory(code="P3", pillar=register.p2.pillar, **whole_year)
    poorer = ProgramFactory(code="P4", pillar=register.p2.pillar, max_desil=2, **whole_year)
    summaries_refresh(YEAR, today=TODAY)
    assert ProgramSummary.objects.get(program=same).excluded_households == 5
    # Desil 1–2 and reached by nobody: only h7, whose one enrolment was exited.
    assert ProgramSummary.objects.get(program=poorer).excluded_households == 1


def test_a_register_change_asks_for_this_year_and_last():
    from reports.summaries import requested_years

    today = datetime.date(2027, 1, 5)
    # Graduation is measured by a later load: January's load still moves last year's figures.
    assert requested_years(None, today) == [2026, 2027]
    assert requested_years(range(2025, 2027), today) == [2025, 2026]


def test_an_enrolment_in_a_program_across_two_years_refreshes_both(
    register, users, django_capture_on_commit_callbacks
):
    # P1 runs October 2025 to March 2026.
    with django_capture_on_commit_callbacks(execute=True):
        program_enroll(
            program=register.p1,
            person=register.people["h2"][0],
            by=users[Role.SECRETARIAT],
            on=datetime.date(2026, 2, 1),
        )
    assert set(SummaryRefresh.objects.filter(version__gt=0).values_list("year", flat=True)) == {
        2025,
        2026,
    }


def test_a_rebuild_outside_any_transaction_counts_from_one_snapshot(transactional_db, register):
    # Run as the worker runs it, at the outermost level: on PostgreSQL in one REPEATABLE READ
    # transaction (a statement out of place there would fail), elsewhere a plain one.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        state = summaries_refresh(YEAR, today=TODAY)
    assert state.version == 1
    assert _area("63.02") == (7, 8, 2, 2, 3, 1, 2)
    if connection.vendor == "postgresql":
        statements = [query["sql"] for query in queries if query["sql"] != "BEGIN"]
        assert "REPEATABLE READ" in statements[0]
