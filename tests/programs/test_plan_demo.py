import datetime
import re
from dataclasses import dataclass
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from programs import plan_demo
from programs.achievement import Standing
from programs.models import (
    ActionPlan,
    Activity,
    BudgetTag,
    PlanAction,
    PlanEvent,
    Progress,
    ProgressEvidence,
    QuarterReport,
    ReviewStatus,
    TargetGroup,
)
from programs.plan_selectors import CellState, agency_to_do, late_reports, overview, plan_deadlines
from tkpk.models import Agency, Role, User

pytestmark = pytest.mark.django_db

# The demo's story is told from this day, whatever the clock says when the tests run.
TODAY = datetime.date(2026, 11, 30)
YEAR = TODAY.year
MODELS = (ActionPlan, Activity, QuarterReport, Progress, ProgressEvidence, PlanEvent, User)
SUB_ACTIVITY_CODE = re.compile(r"^\d\.\d{2}\.\d{2}\.2\.\d{2}\.\d{4}$")


@dataclass(frozen=True)
class Loaded:
    first: list[int]  # rows of MODELS after seed_demo
    second: list[int]  # ... and after the action plans' demo ran again


def _today():
    return mock.patch("django.utils.timezone.localdate", return_value=TODAY)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the whole module (it takes seconds), its plans a second
    time, then undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        with _today():
            call_command("seed_demo", force=True, stdout=StringIO(), stderr=StringIO())
            first = [model.objects.count() for model in MODELS]
            plan_demo.demo_load()
        yield Loaded(first, [model.objects.count() for model in MODELS])
        transaction.set_rollback(True)


@pytest.fixture
def today(loaded, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def test_every_demo_agency_has_this_years_plan_across_the_four_pillars(loaded):
    plans = ActionPlan.objects.filter(year=YEAR)
    assert plans.count() == Agency.objects.count() == 16
    activities = Activity.objects.filter(plan__year=YEAR)
    assert set(activities.values_list("pillar__order", flat=True)) == {1, 2, 3, 4}
    for plan in plans:
        assert 2 <= plan.activities.count() <= 4, plan
    for activity in activities:
        assert SUB_ACTIVITY_CODE.match(activity.sub_activity_code), activity.sub_activity_code
        assert activity.indicator and activity.unit
        activity.clean()  # the quarterly targets add up, or Q4 is the year's level
    assert activities.filter(adds_up=False, unit="%").count() >= 5
    assert {BudgetTag.DIRECT, BudgetTag.INDIRECT, BudgetTag.SUPPORTING} <= set(
        activities.values_list("budget_tag", flat=True)
    )
    assert set(activities.values_list("target_group", flat=True)) == set(TargetGroup.values)
    assert len(set(activities.values_list("funding_source", flat=True))) >= 4
    assert activities.filter(villages__isnull=False).distinct().count() >= 5
    linked = activities.filter(program__isnull=False)
    assert {a.program.code for a in linked} == {"KTB-WMP-2025", "KTB-BPD-2025", "KTB-PUM-2025"}
    assert all(a.program.lead_agency_id == a.plan.agency_id for a in linked)


def test_plans_are_in_every_state_written_by_their_agencys_operator(loaded):
    plans = {p.agency.acronym: p for p in ActionPlan.objects.filter(year=YEAR)}
    statuses = [p.status for p in plans.values()]
    assert statuses.count(ReviewStatus.VERIFIED) == 12
    assert plans["BPBD"].status == ReviewStatus.SUBMITTED
    assert plans["Dinas PUPRP"].status == ReviewStatus.RETURNED
    assert "DPA" in plans["Dinas PUPRP"].review_comment
    draft = plans["Disbudporapar"]
    assert draft.status == ReviewStatus.DRAFT and not draft.was_verified
    # In revision: a draft again, its verified version still readable, one activity added.
    revised = plans["DPMD"]
    assert (revised.status, revised.revision) == (ReviewStatus.DRAFT, 1)
    assert len(revised.verified_version["activities"]) == 2
    assert revised.activities.count() == 3
    assert revised.activities.filter(agreed=False).count() == 1
    for plan in plans.values():
        created = plan.events.get(action=PlanAction.CREATED)
        assert created.by.role == Role.AGENCY and created.by.agency_id == plan.agency_id
        for review in plan.events.filter(action__in=(PlanAction.VERIFIED, PlanAction.RETURNED)):
            assert review.by.username == "sekretariat"
    # BPBD's plan came back once before it was sent again.
    assert plans["BPBD"].events.filter(action=PlanAction.RETURNED).count() == 1


def test_history_is_dated_as_the_story_goes_never_in_the_future(loaded):
    events = PlanEvent.objects.filter(plan__year=YEAR)
    assert all(event.at.year == YEAR and event.at <= timezone.now() for event in events)
    dinsos = ActionPlan.objects.get(year=YEAR, agency__acronym="Dinsos P3AP2KB")
    history = list(dinsos.events.order_by("at", "pk").values_list("action", "quarter"))
    assert history[0] == (PlanAction.CREATED, None)
    assert history.index((PlanAction.VERIFIED, None)) < history.index((PlanAction.SUBMITTED, 1))
    first = dinsos.reports.get(quarter=1)
    assert timezone.localdate(first.submitted_at) < datetime.date(YEAR, 4, 10)  # on time
    assert first.reviewed_at > first.submitted_at


def test_quarterly_reports_are_in_every_state_some_late_some_behind(loaded):
    reports = QuarterReport.objects.filter(plan__year=YEAR)
    assert set(reports.values_list("status", flat=True)) == set(ReviewStatus.values)
    for report in reports.filter(status=ReviewStatus.RETURNED):
        assert report.review_comment and report.reviewed_by.username == "sekretariat"
    rows = overview(YEAR, today=TODAY)
    states = {cell.state for row in rows for cell in row.cells}
    assert {
        CellState.VERIFIED,
        CellState.SUBMITTED,
        CellState.RETURNED,
        CellState.MISSING,
        CellState.NOT_DUE,
        CellState.NO_PLAN,
    } <= states
    late = late_reports(rows)
    assert {(item.agency.acronym, item.quarter) for item in late} == {
        ("Dinsos P3AP2KB", 3),
        ("Disnakertrans", 3),
        ("DisperkimLH", 3),
        ("Distan", 3),
        ("Dishub", 2),
        ("Dishub", 3),
    }
    reminded = {(item.agency.acronym, item.quarter) for item in late if item.reminded_at}
    assert reminded == {("Dinsos P3AP2KB", 3), ("Distan", 3), ("Dishub", 2)}
    standings = {
        cell.achievement.standing for row in rows for cell in row.cells if cell.achievement
    }
    assert {Standing.ON_TRACK, Standing.BEHIND} <= standings
    assert Progress.objects.filter(report__plan__year=YEAR, spent__gt=0).count() > 50


def test_evidence_is_a_small_pdf_checked_as_an_upload_is(loaded):
    evidence = ProgressEvidence.objects.filter(progress__report__plan__year=YEAR)
    assert evidence.count() >= 20
    item = evidence.first()
    assert item.name.endswith(".pdf") and item.file.name.startswith("programs/progress/")
    with item.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4")


def test_the_two_demo_operators_have_something_real_on_their_home_page(loaded):
    dinsos = agency_to_do(User.objects.get(username="opd.dinsos"), today=TODAY)
    [due] = dinsos.due
    assert (due.quarter, due.status, due.late) == (3, ReviewStatus.RETURNED, True)
    assert due.reminded_at is not None
    [returned] = dinsos.returned
    assert returned.quarter == 3 and "berita acara" in returned.comment
    assert dinsos.achievement.quarter == 2

    disnakertrans = agency_to_do(User.objects.get(username="opd.disnakertrans"), today=TODAY)
    [due] = disnakertrans.due
    assert (due.quarter, due.status, due.late) == (3, ReviewStatus.DRAFT, True)
    assert disnakertrans.achievement.quarter == 2 and disnakertrans.achievement.ratio


def test_every_agency_has_an_operator_who_signs_in_with_the_demo_password(loaded):
    from tkpk.demo import DEMO_PASSWORD

    for agency in Agency.objects.all():
        operator = agency.users.get(role=Role.AGENCY)
        assert operator.username.startswith("opd.") and operator.check_password(DEMO_PASSWORD)


def test_running_the_demo_again_adds_nothing(loaded):
    assert loaded.second == loaded.first


def test_seed_demo_prints_every_operator_it_added(loaded):
    out = StringIO()
    with _today():
        call_command("seed_demo", force=True, stdout=out, stderr=StringIO())
    for username in ("opd.dinsos", "opd.bpbd", "opd.bappedalitbang"):
        assert out.getvalue().count(username) == 1


def test_opd_dinsos_sees_the_returned_report_and_the_reminder_at_home(client, today):
    client.force_login(User.objects.get(username="opd.dinsos"))
    page = client.get(reverse("home")).content.decode()
    to_do = page.split('data-testid="agency-to-do"')[1].split("</section>")[0]
    assert "265 keluarga" in to_do  # the secretariat's comment
    plan = ActionPlan.objects.get(year=YEAR, agency__acronym="Dinsos P3AP2KB")
    # Returned for a correction: due two weeks after its return, and that has passed.
    due = plan_deadlines(plan)[3]
    assert due > datetime.date(YEAR, 10, 10) and due < today
    assert date_format(due, "j F Y") in to_do and "terlambat" in to_do
    assert 'data-testid="reminders"' in to_do
    assert reverse("programs:report_detail", args=[plan.pk, 3]) in to_do
