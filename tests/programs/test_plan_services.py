"""The workflow of plans and quarterly reports, its forbidden steps and its version checks."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from programs.models import Activity, PlanAction, Progress, ReviewStatus
from programs.plan_selectors import achievement_so_far, activity_rows
from programs.plan_services import (
    activity_delete,
    activity_save,
    deadline_set,
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
from tests.factories import PillarFactory, UserFactory
from tkpk.locking import EditConflict
from tkpk.models import Role

APRIL = datetime.date(2026, 4, 2)


@pytest.fixture(autouse=True)
def _in_english():
    """The refusals are matched by their English source text."""
    with translation.override("en"):
        yield


@pytest.fixture
def operator(users):
    return users[Role.AGENCY]


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


def new_activity(plan, by, **changes) -> Activity:
    values = dict(
        plan=plan,
        name="Pelatihan las",
        pillar=PillarFactory(order=2),
        indicator="Peserta",
        unit="orang",
        target=40,
        target_q1=10,
        target_q2=10,
        target_q3=10,
        target_q4=10,
        budget=50_000_000,
    )
    values.update(changes)
    return activity_save(activity=Activity(**values), version=None, by=by)


def actions(plan, quarter=None) -> list[str]:
    return list(
        plan.events.filter(quarter=quarter).order_by("at", "pk").values_list("action", flat=True)
    )


def test_a_plan_goes_from_draft_through_return_to_verified_with_its_history(
    operator, secretariat, agency
):
    plan = plan_create(agency=agency, year=2026, by=operator)
    new_activity(plan, operator)
    plan.refresh_from_db()
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    assert plan.status == ReviewStatus.SUBMITTED
    plan = plan_review(
        plan=plan,
        version=plan.version,
        verified=False,
        comment="Target Q2 terlalu rendah",
        by=secretariat,
    )
    assert (
        plan.status == ReviewStatus.RETURNED and plan.review_comment == "Target Q2 terlalu rendah"
    )
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=secretariat)
    assert plan.status == ReviewStatus.VERIFIED and plan.was_verified
    assert plan.verified_version["activities"][0]["name"] == "Pelatihan las"
    assert plan.activities.get().agreed
    assert actions(plan) == [
        PlanAction.CREATED,
        PlanAction.CHANGED,
        PlanAction.SUBMITTED,
        PlanAction.RETURNED,
        PlanAction.SUBMITTED,
        PlanAction.VERIFIED,
    ]
    assert plan.events.filter(action=PlanAction.RETURNED).get().by == secretariat


def test_only_the_agencys_own_operator_writes_its_plan(users, agency, other_agency):
    for role in (Role.SECRETARIAT, Role.LEADER, Role.PARTNER, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            plan_create(agency=agency, year=2026, by=users[role])
    stranger = UserFactory(role=Role.AGENCY, agency=other_agency)
    plan = plan_create(agency=agency, year=2026, by=users[Role.AGENCY])
    with pytest.raises(PermissionDenied):
        new_activity(plan, stranger)


def test_one_plan_per_agency_and_year(operator, agency):
    plan_create(agency=agency, year=2026, by=operator)
    with pytest.raises(ValidationError, match="already has an action plan"):
        plan_create(agency=agency, year=2026, by=operator)


def test_an_agency_operator_cannot_review_and_a_return_needs_a_comment(
    operator, secretariat, agency
):
    plan = plan_create(agency=agency, year=2026, by=operator)
    new_activity(plan, operator)
    plan.refresh_from_db()
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    with pytest.raises(PermissionDenied):
        plan_review(plan=plan, version=plan.version, verified=True, by=operator)
    with pytest.raises(ValidationError, match="Say why"):
        plan_review(plan=plan, version=plan.version, verified=False, comment="  ", by=secretariat)


def test_an_empty_plan_cannot_be_submitted(operator, agency):
    plan = plan_create(agency=agency, year=2026, by=operator)
    with pytest.raises(ValidationError, match="without activities"):
        plan_submit(plan=plan, version=plan.version, by=operator)


def test_a_submitted_or_verified_plan_refuses_changes(verified_plan, operator):
    activity = verified_plan.activities.first()
    activity.target_q1 = 30
    with pytest.raises(ValidationError, match="open a revision"):
        activity_save(activity=activity, version=activity.version, by=operator)
    with pytest.raises(ValidationError):
        plan_submit(plan=verified_plan, version=verified_plan.version, by=operator)


def test_a_verified_plan_is_reviewed_only_once(verified_plan, secretariat):
    with pytest.raises(ValidationError, match="no longer awaiting"):
        plan_review(
            plan=verified_plan, version=verified_plan.version, verified=True, by=secretariat
        )


def test_a_revision_keeps_the_verified_version_until_the_next_is_verified(
    verified_plan, operator, secretariat
):
    with pytest.raises(ValidationError, match="Say what the revision"):
        plan_revise(plan=verified_plan, by=operator, comment="")
    plan = plan_revise(plan=verified_plan, by=operator, comment="Tambah kegiatan dari APBD-P")
    assert plan.status == ReviewStatus.DRAFT and plan.revision == 1
    new_activity(plan, operator, name="Bantuan alat kerja")
    plan.refresh_from_db()
    names = [a["name"] for a in plan.verified_version["activities"]]
    assert "Bantuan alat kerja" not in names and len(names) == 2
    assert not plan.activities.get(name="Bantuan alat kerja").agreed
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=secretariat)
    assert plan.verified_version["revision"] == 1 and len(plan.verified_version["activities"]) == 3
    assert plan.activities.filter(agreed=True).count() == 3


def test_the_second_of_two_edits_of_one_activity_is_refused_not_merged(verified_plan, operator):
    plan = plan_revise(plan=verified_plan, by=operator, comment="Revisi")
    colleague = UserFactory(role=Role.AGENCY, agency=plan.agency, name="Rina Operator")
    first = plan.activities.get(name="Pelatihan menjahit")
    second = Activity.objects.get(pk=first.pk)
    read = first.version
    first.name = "Pelatihan menjahit lanjutan"
    activity_save(activity=first, version=read, by=colleague)
    second.indicator = "Lulusan"
    with pytest.raises(EditConflict, match="Rina Operator") as refused:
        activity_save(activity=second, version=read, by=operator)
    assert refused.value.current.name == "Pelatihan menjahit lanjutan"
    stored = Activity.objects.get(pk=first.pk)
    assert (stored.name, stored.indicator) == ("Pelatihan menjahit lanjutan", "Peserta pelatihan")


def test_a_submission_based_on_an_old_version_of_the_plan_is_refused(operator, agency):
    plan = plan_create(agency=agency, year=2026, by=operator)
    read = plan.version
    new_activity(plan, operator)
    with pytest.raises(EditConflict):
        plan_submit(plan=plan, version=read, by=operator)


def test_quarterly_targets_must_add_up_or_the_fourth_is_the_year(operator, agency):
    plan = plan_create(agency=agency, year=2026, by=operator)
    with pytest.raises(ValidationError) as refused:
        new_activity(plan, operator, target_q4=5)
    assert "add up to 35" in str(refused.value.message_dict["target_q4"])
    with pytest.raises(ValidationError) as refused:
        new_activity(plan, operator, unit="%", adds_up=False, target=90, target_q4=80)
    assert "fourth quarter" in str(refused.value.message_dict["target_q4"])
    assert new_activity(plan, operator, unit="%", adds_up=False, target=90, target_q4=90).pk


def test_an_activity_with_progress_cannot_be_removed(verified_plan, operator):
    report = quarter_report_open(plan=verified_plan, quarter=1, today=APRIL)
    activity = verified_plan.activities.get(name="Pelatihan menjahit")
    progress_save(
        progress=Progress(report=report, activity=activity, realised=20), version=None, by=operator
    )
    plan = plan_revise(plan=verified_plan, by=operator, comment="Revisi")
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="stays in the plan"):
        activity_delete(activity=activity, version=activity.version, by=operator)
    other = plan.activities.exclude(pk=activity.pk).get()
    with pytest.raises(ValidationError, match="in the verified plan"):
        activity_delete(activity=other, version=other.version, by=operator)
    added = new_activity(plan, operator, name="Kegiatan baru")
    activity_delete(activity=added, version=added.version, by=operator)
    assert plan.activities.count() == 2


def test_during_a_revision_the_verified_targets_stay_in_force(verified_plan, operator):
    report = report_with_progress(verified_plan, operator)
    report_submit(report=report, version=report.version, by=operator)
    plan = plan_revise(plan=verified_plan, by=operator, comment="Target naik")
    training = plan.activities.get(name="Pelatihan menjahit")
    training.target, training.target_q1, training.target_q4 = 200, 125, 25
    activity_save(activity=training, version=training.version, by=operator)
    plan.refresh_from_db()
    # 20 trained of the verified 25, not of the revised 125.
    assert achievement_so_far(plan).activities[1].ratio == Decimal("0.8")
    row = next(row for row in activity_rows(plan) if row.activity.pk == training.pk)
    assert row.quarters[0].cumulative_target == 25
    assert row.cells[0] == (125, row.quarters[0])  # the revision's target is shown beside it


def report_with_progress(plan, by, values=(65, 20)):
    """Q1 of `plan` with coverage 65 % and 20 trained (ordered by name)."""
    report = quarter_report_open(plan=plan, quarter=1, today=APRIL)
    for activity, value in zip(plan.activities.order_by("name"), values, strict=True):
        progress_save(
            progress=Progress(report=report, activity=activity, realised=value, spent=1000),
            version=None,
            by=by,
        )
    report.refresh_from_db()
    return report


def test_progress_waits_for_a_verified_plan_and_a_begun_quarter(operator, agency, verified_plan):
    draft = plan_create(agency=agency, year=2027, by=operator)
    with pytest.raises(ValidationError, match="once the plan has been verified"):
        quarter_report_open(plan=draft, quarter=1, today=datetime.date(2027, 4, 1))
    with pytest.raises(ValidationError, match="has not begun"):
        quarter_report_open(plan=verified_plan, quarter=2, today=datetime.date(2026, 3, 31))


def test_a_report_is_sent_only_complete_then_reviewed(verified_plan, operator, secretariat):
    report = quarter_report_open(plan=verified_plan, quarter=1, today=APRIL)
    activity = verified_plan.activities.get(name="Pelatihan menjahit")
    progress_save(
        progress=Progress(report=report, activity=activity, realised=20), version=None, by=operator
    )
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="Cakupan bantuan pangan"):
        report_submit(report=report, version=report.version, by=operator)
    coverage = verified_plan.activities.get(name="Cakupan bantuan pangan")
    progress_save(
        progress=Progress(report=report, activity=coverage, realised=65), version=None, by=operator
    )
    report.refresh_from_db()
    report = report_submit(report=report, version=report.version, by=operator)
    assert report.status == ReviewStatus.SUBMITTED and report.submitted_at
    with pytest.raises(PermissionDenied):
        report_review(report=report, version=report.version, verified=True, by=operator)
    report = report_review(
        report=report,
        version=report.version,
        verified=False,
        comment="Lampirkan daftar hadir",
        by=secretariat,
    )
    assert report.status == ReviewStatus.RETURNED
    assert actions(verified_plan, quarter=1) == [PlanAction.SUBMITTED, PlanAction.RETURNED]


def test_a_verified_quarter_changes_only_after_the_secretariat_returns_it(
    verified_plan, operator, secretariat
):
    report = report_with_progress(verified_plan, operator)
    report = report_submit(report=report, version=report.version, by=operator)
    report = report_review(report=report, version=report.version, verified=True, by=secretariat)
    progress = report.progress.first()
    progress.realised = Decimal(1)
    with pytest.raises(ValidationError, match="returns it"):
        progress_save(progress=progress, version=progress.version, by=operator)
    with pytest.raises(ValidationError, match="no longer awaiting"):
        report_review(report=report, version=report.version, verified=True, by=secretariat)
    report = report_review(
        report=report,
        version=report.version,
        verified=False,
        comment="Angka Q1 salah",
        by=secretariat,
    )
    assert report.status == ReviewStatus.RETURNED
    progress = report.progress.first()
    progress.realised = Decimal(21)
    progress_save(progress=progress, version=progress.version, by=operator)
    report.refresh_from_db()
    assert (
        report_submit(report=report, version=report.version, by=operator).status
        == ReviewStatus.SUBMITTED
    )


def test_a_reviewer_does_not_verify_a_report_changed_since_reading_it(
    verified_plan, operator, secretariat
):
    report = report_with_progress(verified_plan, operator)
    read = report.version
    report = report_submit(report=report, version=report.version, by=operator)
    with pytest.raises(EditConflict):
        report_review(report=report, version=read, verified=True, by=secretariat)


def test_two_people_entering_one_activitys_progress_the_second_is_refused(verified_plan, operator):
    report = quarter_report_open(plan=verified_plan, quarter=1, today=APRIL)
    activity = verified_plan.activities.get(name="Pelatihan menjahit")
    colleague = UserFactory(role=Role.AGENCY, agency=verified_plan.agency, name="Budi")
    progress_save(
        progress=Progress(report=report, activity=activity, realised=20), version=None, by=colleague
    )
    with pytest.raises(EditConflict, match="Budi"):
        progress_save(
            progress=Progress(report=report, activity=activity, realised=21),
            version=None,
            by=operator,
        )
    assert Progress.objects.get(activity=activity).realised == 20


def test_progress_is_refused_on_an_activity_not_in_the_verified_plan(verified_plan, operator):
    report = quarter_report_open(plan=verified_plan, quarter=1, today=APRIL)
    plan = plan_revise(plan=verified_plan, by=operator, comment="Revisi")
    added = new_activity(plan, operator, name="Kegiatan baru")
    with pytest.raises(ValidationError, match="verified plan"):
        progress_save(
            progress=Progress(report=report, activity=added, realised=1), version=None, by=operator
        )


def test_deadlines_are_set_by_the_secretariat_within_reason(secretariat, operator):
    with pytest.raises(PermissionDenied):
        deadline_set(year=2026, quarter=1, due_on=datetime.date(2026, 4, 15), by=operator)
    with pytest.raises(ValidationError):
        deadline_set(year=2026, quarter=2, due_on=datetime.date(2026, 6, 30), by=secretariat)
    assert (
        deadline_set(
            year=2026, quarter=1, due_on=datetime.date(2026, 4, 15), by=secretariat
        ).due_on.day
        == 15
    )


def test_a_reminder_is_recorded_and_mailed_only_when_mail_is_configured(
    verified_plan, secretariat, operator, settings, django_capture_on_commit_callbacks
):
    operator.email = "opd@example.test"
    operator.save()
    due = datetime.date(2026, 7, 10)
    with pytest.raises(ValidationError, match="not late"):
        reminder_send(
            plan=verified_plan, quarter=4, due_on=datetime.date(2099, 1, 10), by=secretariat
        )
    with django_capture_on_commit_callbacks(execute=True):
        reminder_send(plan=verified_plan, quarter=2, due_on=due, by=secretariat)
    assert mail.outbox == []
    settings.EMAIL_HOST = "smtp.test"
    with django_capture_on_commit_callbacks(execute=True):
        reminder_send(plan=verified_plan, quarter=2, due_on=due, by=secretariat)
    assert mail.outbox[0].to == ["opd@example.test"] and "10 Juli 2026" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("TKPK: laporan triwulan 2")  # the site's language
    assert verified_plan.events.filter(action=PlanAction.REMINDED, quarter=2).count() == 2
    with pytest.raises(PermissionDenied):
        reminder_send(plan=verified_plan, quarter=2, due_on=due, by=operator)


def test_no_reminder_for_a_report_already_sent(verified_plan, secretariat, operator):
    report = report_with_progress(verified_plan, operator)
    report_submit(report=report, version=report.version, by=operator)
    with pytest.raises(ValidationError, match="no reminder"):
        reminder_send(
            plan=verified_plan, quarter=1, due_on=datetime.date(2026, 4, 10), by=secretariat
        )
