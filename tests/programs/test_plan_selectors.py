"""The overview's cells, the late list, deadlines and an agency operator's to-do."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import ActionPlan, Progress, ReportDeadline
from programs.plan_selectors import (
    CellState,
    agency_to_do,
    deadlines,
    late_reports,
    latest_reported_quarter,
    latest_reported_quarters,
    overview,
    plan_deadlines,
    plans_at_a_glance,
    plans_for,
)
from programs.plan_services import (
    plan_create,
    plan_review,
    plan_revise,
    plan_submit,
    progress_save,
    quarter_report_open,
    reminder_send,
    report_review,
    report_submit,
)
from tests.factories import ActionPlanFactory, ActivityFactory, AgencyFactory, UserFactory
from tkpk.models import Role

NOV_30 = datetime.date(2026, 11, 30)


def send(plan, quarter, by, values=None):
    """Enter every agreed activity's progress for `quarter` and submit it."""
    report = quarter_report_open(plan=plan, quarter=quarter, today=NOV_30)
    for activity in plan.activities.filter(agreed=True):
        realised = (values or {}).get(activity.name, activity.quarter_target(quarter))
        progress = Progress(report=report, activity=activity, realised=realised, spent=10_000_000)
        progress_save(progress=progress, version=None, by=by)
    report.refresh_from_db()
    return report_submit(report=report, version=report.version, by=by)


def test_default_deadlines_are_the_tenth_after_each_quarter_unless_set(db):
    assert deadlines(2026) == {
        1: datetime.date(2026, 4, 10),
        2: datetime.date(2026, 7, 10),
        3: datetime.date(2026, 10, 10),
        4: datetime.date(2027, 1, 10),
    }


def test_a_deadline_set_by_the_secretariat_replaces_the_default(users):
    ReportDeadline.objects.create(
        year=2026, quarter=3, due_on=datetime.date(2026, 12, 5), set_by=users[Role.SECRETARIAT]
    )
    assert deadlines(2026)[3] == datetime.date(2026, 12, 5)


def test_plans_are_scoped_to_the_operators_agency(users, agency, other_agency):
    ActionPlanFactory(agency=agency)
    ActionPlanFactory(agency=other_agency)
    assert [p.agency for p in plans_for(users[Role.AGENCY])] == [agency]
    assert plans_for(users[Role.LEADER]).count() == 2
    assert not plans_for(users[Role.PARTNER]).exists()


@pytest.fixture
def quarters(verified_plan, users):
    """Q1 verified, Q2 submitted, Q3 returned; Q4 not due on 30 November."""
    operator, secretariat = users[Role.AGENCY], users[Role.SECRETARIAT]
    q1 = send(verified_plan, 1, operator)
    report_review(report=q1, version=q1.version, verified=True, by=secretariat)
    send(verified_plan, 2, operator, values={"Pelatihan menjahit": 5})
    q3 = send(verified_plan, 3, operator)
    report_review(
        report=q3,
        version=q3.version,
        verified=False,
        comment="Data peserta belum lengkap",
        by=secretariat,
    )
    # Returned on 12 October: its correction was due two weeks later, on 26 October.
    q3.refresh_from_db()
    q3.reviewed_at = timezone.make_aware(datetime.datetime(2026, 10, 12, 9))
    q3.save()
    return verified_plan


def test_the_overview_shows_each_quarters_state_and_achievement(quarters, other_agency):
    rows = {row.agency: row for row in overview(2026, today=NOV_30)}
    cells = rows[quarters.agency].cells
    assert [cell.state for cell in cells] == [
        CellState.VERIFIED,
        CellState.SUBMITTED,
        CellState.RETURNED,
        CellState.NOT_DUE,
    ]
    assert [cell.late for cell in cells] == [False, False, True, False]
    assert cells[0].achievement.ratio == 1
    # Q2: training 30 of 50 (60 %), coverage at its level (100 %): 80 % on average.
    assert cells[1].achievement.ratio == Decimal("0.8")
    assert cells[2].achievement is None  # a returned report counts nowhere
    assert [cell.state for cell in rows[other_agency].cells] == [CellState.NO_PLAN] * 4


def test_the_last_quarter_reported_skips_a_returned_report_and_is_none_before_any(
    quarters, other_agency, django_assert_num_queries
):
    # Q3 was returned, so Q2 (submitted, not yet verified) is the last one reported.
    silent = ActionPlanFactory(agency=other_agency)
    plans = list(ActionPlan.objects.filter(year=2026))
    with django_assert_num_queries(1):
        latest = latest_reported_quarters(plans)
    assert latest == {quarters.pk: 2, silent.pk: None}
    assert latest_reported_quarter(quarters) == 2
    assert latest_reported_quarter(silent) is None


def test_the_pillar_filter_narrows_the_achievement(quarters):
    training_pillar = quarters.activities.get(name="Pelatihan menjahit").pillar_id
    row = next(r for r in overview(2026, today=NOV_30, pillar_id=training_pillar) if r.plan)
    assert row.cells[1].achievement.ratio == Decimal("0.6")


def test_late_reports_are_those_past_their_deadline_with_nothing_sent(quarters, users):
    late = late_reports(overview(2026, today=NOV_30))
    assert [(item.agency, item.quarter, item.state) for item in late] == [
        (quarters.agency, 3, CellState.RETURNED)
    ]
    assert late_reports(overview(2026, today=datetime.date(2026, 10, 10))) == []
    reminder_send(
        plan=quarters, quarter=3, due_on=datetime.date(2026, 10, 10), by=users[Role.SECRETARIAT]
    )
    assert late_reports(overview(2026, today=NOV_30))[0].reminded_at is not None


def test_the_overview_reads_a_fixed_number_of_queries(
    quarters, users, django_assert_max_num_queries
):
    for n in range(5):
        operator = UserFactory(role=Role.AGENCY, agency=AgencyFactory(acronym=f"OPD-X{n}"))
        plan = plan_create(agency=operator.agency, year=2026, by=operator)
        plan.status = "submitted"
        plan.save()
        plan_review(plan=plan, version=plan.version, verified=True, by=users[Role.SECRETARIAT])
    with django_assert_max_num_queries(8):
        rows = overview(2026, today=NOV_30)
        late_reports(rows)
    assert len(rows) == 6


def test_an_operators_to_do_lists_due_returned_and_reminded_reports(quarters, users, other_agency):
    reminder_send(
        plan=quarters, quarter=3, due_on=datetime.date(2026, 10, 10), by=users[Role.SECRETARIAT]
    )
    to_do = agency_to_do(users[Role.AGENCY], today=NOV_30)
    assert [(item.quarter, item.late, item.status) for item in to_do.due] == [(3, True, "returned")]
    assert to_do.due[0].reminded_at is not None
    assert [event.comment for event in to_do.returned] == ["Data peserta belum lengkap"]
    assert to_do.achievement.quarter == 2
    stranger = UserFactory(role=Role.AGENCY, agency=other_agency)
    assert agency_to_do(stranger, today=NOV_30).due == []
    assert agency_to_do(users[Role.SECRETARIAT], today=NOV_30) is None


def test_a_running_quarter_is_due_from_its_last_month(verified_plan, users):
    def due_quarters(day):
        return [item.quarter for item in agency_to_do(users[Role.AGENCY], today=day).due]

    assert due_quarters(datetime.date(2026, 5, 31)) == [1]
    assert due_quarters(datetime.date(2026, 6, 1)) == [1, 2]


def test_a_plan_verified_after_a_deadline_has_that_quarter_due_two_weeks_later(
    verified_plan, users
):
    verified_plan.first_verified_on = datetime.date(2026, 8, 3)
    verified_plan.save()
    due = plan_deadlines(verified_plan)
    assert due[1] == due[2] == datetime.date(2026, 8, 17)
    assert due[3] == datetime.date(2026, 10, 10)  # its own deadline is later
    to_do = agency_to_do(users[Role.AGENCY], today=datetime.date(2026, 8, 10))
    assert [(item.quarter, item.late) for item in to_do.due] == [(1, False), (2, False)]
    cells = overview(2026, today=datetime.date(2026, 8, 18))[0].cells
    assert [cell.late for cell in cells] == [True, True, False, False]


def test_a_first_verification_is_remembered_through_revisions(users, agency):
    plan = plan_create(agency=agency, year=2026, by=users[Role.AGENCY])
    ActivityFactory(plan=plan, updated_by=users[Role.AGENCY])
    plan = plan_submit(plan=plan, version=plan.version, by=users[Role.AGENCY])
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=users[Role.SECRETARIAT])
    assert plan.first_verified_on == timezone.localdate()
    ActionPlan.objects.filter(pk=plan.pk).update(first_verified_on=datetime.date(2026, 1, 5))
    plan.refresh_from_db()
    plan = plan_revise(plan=plan, by=users[Role.AGENCY], comment="APBD-P")
    plan = plan_submit(plan=plan, version=plan.version, by=users[Role.AGENCY])
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=users[Role.SECRETARIAT])
    assert plan.first_verified_on == datetime.date(2026, 1, 5)


def test_in_january_the_secretariat_still_sees_last_years_late_reports(verified_plan, users):
    glance = plans_at_a_glance(users[Role.SECRETARIAT], today=datetime.date(2027, 1, 20))
    assert (glance.year, glance.late, glance.late_last_year) == (2027, 0, 4)
    assert plans_at_a_glance(users[Role.SECRETARIAT], today=NOV_30).late_last_year == 0
    assert plans_at_a_glance(users[Role.AGENCY], today=NOV_30) is None


def test_the_next_report_and_its_deadline_are_known_before_it_is_due(verified_plan, users):
    to_do = agency_to_do(users[Role.AGENCY], today=NOV_30)
    assert (to_do.upcoming.quarter, to_do.upcoming.due_on) == (4, datetime.date(2027, 1, 10))
    assert 4 not in [item.quarter for item in to_do.due]


def test_a_report_returned_for_a_correction_is_due_two_weeks_after_its_return(quarters):
    q3 = quarters.reports.get(quarter=3)
    assert plan_deadlines(quarters)[3] == datetime.date(2026, 10, 26)
    q3.reviewed_at = timezone.make_aware(datetime.datetime(2026, 11, 25, 9))
    q3.save()
    assert plan_deadlines(quarters)[3] == datetime.date(2026, 12, 9)
    cells = overview(2026, today=NOV_30)[0].cells
    assert (cells[2].state, cells[2].late) == (CellState.RETURNED, False)
