"""Writes on action plans, their activities and quarterly progress; every door calls these.

Who may do what is decided here (`may_edit_plan`, `may_review_plans`). Every write of a
plan, an activity or a progress entry carries the version its author read and is refused
with an EditConflict when someone saved meanwhile (tkpk.locking). A plan or a quarter's
report is changed only while it is a draft or returned: a submitted one waits for the
secretariat, a verified one is changed through a revision (plans) or after the secretariat
returns it (reports).
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.formats import date_format

from households.models import Area
from programs.models import (
    ActionPlan,
    Activity,
    PlanAction,
    PlanEvent,
    Progress,
    ProgressEvidence,
    QuarterReport,
    ReportDeadline,
    ReviewStatus,
    quarter_end,
    quarter_start,
)
from tkpk.documents import CheckedDocument, document_save, documents_removed_on_failure
from tkpk.locking import version_check
from tkpk.models import Agency, Role, User
from tkpk.permissions import MANAGERS
from tkpk.signals import figures_changed
from tkpk.translation import Message as _


def may_edit_plan(user: User, agency: Agency | int) -> bool:
    """Whether `user` writes `agency`'s plan and progress: that agency's own operators."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return user.role == Role.AGENCY and user.agency_id == agency_id


# Who reads plans and their reports: the region's readers, and agency operators their own
# agency's (plan_selectors.plans_for).
PLAN_READERS = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY})


def may_review_plans(user: User) -> bool:
    """Whether `user` verifies or returns plans and reports, sends reminders and sets
    deadlines: the secretariat and the administrator."""
    return user.role in MANAGERS


def _event(plan: ActionPlan, action: str, by: User, *, quarter=None, comment="") -> None:
    """Write the plan's history; every change of a plan or a report writes one, so it is also
    where the dashboard hears that the year's agency figures changed."""
    PlanEvent.objects.create(plan=plan, quarter=quarter, action=action, by=by, comment=comment)
    figures_changed.send(sender=ActionPlan, years=[plan.year])


def _last_change(plan: ActionPlan, quarter: int | None = None) -> PlanEvent | None:
    return plan.events.filter(quarter=quarter).order_by("-at", "-pk").first()


def _locked_plan(plan: ActionPlan, by: User) -> ActionPlan:
    if not may_edit_plan(by, plan.agency_id):
        raise PermissionDenied
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == ReviewStatus.SUBMITTED:
        raise ValidationError(
            _("The plan awaits verification: it changes only if the secretariat returns it.")
        )
    if locked.status == ReviewStatus.VERIFIED:
        raise ValidationError(_("The plan is verified: open a revision to change it."))
    return locked


def _bump(record: Model) -> None:
    record.version += 1
    record.save()


# --- plans ---------------------------------------------------------------------------


def plan_create(*, agency: Agency, year: int, by: User) -> ActionPlan:
    """Start `agency`'s plan for `year`, as a draft."""
    if not may_edit_plan(by, agency):
        raise PermissionDenied
    plan = ActionPlan(agency=agency, year=year, created_by=by)
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        _event(plan, PlanAction.CREATED, by)
    return plan


def activity_save(
    *, activity: Activity, version: int | None, by: User, villages: Iterable[Area] | None = None
) -> Activity:
    """Add an activity to an editable plan, or change one; `version` is the one read
    (None for a new activity). `villages` None leaves the target villages as they are."""
    with transaction.atomic():
        plan = _locked_plan(activity.plan, by)
        if activity.pk is not None:
            stored = Activity.objects.select_for_update().get(pk=activity.pk, plan=plan)
            version_check(stored, version, by=stored.updated_by, at=stored.updated_at)
            activity.version = stored.version + 1
            activity.agreed = stored.agreed
        else:
            activity.agreed = False
        activity.updated_by = by
        activity.full_clean(exclude=["plan", "updated_by", "villages"])
        activity.save()
        if villages is not None:
            activity.villages.set(villages)
        _bump(plan)
        _event(plan, PlanAction.CHANGED, by, comment=activity.name)
    return activity


def activity_delete(*, activity: Activity, version: int, by: User) -> None:
    """Remove an activity from an editable plan, unless progress was reported on it."""
    with transaction.atomic():
        plan = _locked_plan(activity.plan, by)
        stored = Activity.objects.select_for_update().get(pk=activity.pk, plan=plan)
        version_check(stored, version, by=stored.updated_by, at=stored.updated_at)
        if stored.progress.exists():
            raise ValidationError(
                _("Progress was reported on “%(name)s”: it stays in the plan.")
                % {"name": stored.name}
            )
        if stored.agreed:
            # Its reports are still due under the verified version, which stays in force.
            raise ValidationError(
                _(
                    "“%(name)s” is in the verified plan: it stays for the year. Change its "
                    "targets in the revision instead."
                )
                % {"name": stored.name}
            )
        stored.delete()
        _bump(plan)
        _event(plan, PlanAction.REMOVED, by, comment=stored.name)


def plan_submit(*, plan: ActionPlan, version: int, by: User, comment: str = "") -> ActionPlan:
    """Send a draft or returned plan to the secretariat for verification."""
    with transaction.atomic():
        locked = _locked_plan(plan, by)
        last = _last_change(locked)
        version_check(locked, version, by=last.by if last else None, at=locked.updated_at)
        if not locked.activities.exists():
            raise ValidationError(_("A plan without activities cannot be submitted."))
        locked.status = ReviewStatus.SUBMITTED
        _bump(locked)
        _event(locked, PlanAction.SUBMITTED, by, comment=comment.strip())
    return locked


def plan_review(
    *, plan: ActionPlan, version: int, verified: bool, comment: str = "", by: User
) -> ActionPlan:
    """Verify a submitted plan, or return it with a comment saying why.

    `version` is the version the reviewer read. Verifying keeps the plan as it is now as
    its verified version, and lets its activities take progress reports.
    """
    if not may_review_plans(by):
        raise PermissionDenied
    comment = comment.strip()
    if not verified and not comment:
        raise ValidationError({"comment": _("Say why the plan is returned.")})
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        _awaiting(locked)
        last = _last_change(locked)
        version_check(locked, version, by=last.by if last else None, at=locked.updated_at)
        if verified:
            locked.verified_version = _snapshot(locked, by)
            locked.activities.update(agreed=True)
            locked.first_verified_on = locked.first_verified_on or timezone.localdate()
            locked.status, locked.review_comment = ReviewStatus.VERIFIED, comment
        else:
            locked.status, locked.review_comment = ReviewStatus.RETURNED, comment
        _bump(locked)
        action = PlanAction.VERIFIED if verified else PlanAction.RETURNED
        _event(locked, action, by, comment=comment)
    return locked


def _awaiting(record: ActionPlan | QuarterReport) -> None:
    if record.status == ReviewStatus.SUBMITTED:
        return
    status = {"status": record.get_status_display().lower()}
    if isinstance(record, ActionPlan):
        raise ValidationError(
            _("The plan is no longer awaiting verification: it is %(status)s.") % status
        )
    raise ValidationError(
        _("The report is no longer awaiting verification: it is %(status)s.") % status
    )


def _snapshot(plan: ActionPlan, by: User) -> dict:
    """The plan as verified, to stay readable while a revision is prepared."""
    activities = plan.activities.select_related("pillar", "program").prefetch_related("villages")
    return {
        "revision": plan.revision,
        "verified_at": timezone.now().isoformat(),
        "verified_by": by.get_full_name(),
        "activities": [
            {
                "id": activity.pk,
                "name": activity.name,
                "sub_activity_code": activity.sub_activity_code,
                "pillar": str(activity.pillar),
                "program": activity.program.code if activity.program else "",
                "indicator": activity.indicator,
                "unit": activity.unit,
                "target": str(activity.target),
                "quarter_targets": [str(target) for target in activity.quarter_targets()],
                "adds_up": activity.adds_up,
                "budget": str(activity.budget),
                "funding_source": activity.get_funding_source_display(),
                "budget_tag": activity.get_budget_tag_display(),
                "target_group": activity.get_target_group_display(),
                "villages": [str(village) for village in activity.villages.all()],
            }
            for activity in activities
        ],
    }


def plan_revise(*, plan: ActionPlan, by: User, comment: str) -> ActionPlan:
    """Open a revision of a verified plan: it becomes a draft again, while its verified
    version stays readable and its progress reports stay as they are."""
    if not may_edit_plan(by, plan.agency_id):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the revision is for.")})
    with transaction.atomic():
        locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != ReviewStatus.VERIFIED:
            raise ValidationError(_("Only a verified plan is revised; this one can be edited."))
        locked.status, locked.revision = ReviewStatus.DRAFT, locked.revision + 1
        _bump(locked)
        _event(locked, PlanAction.REVISION_OPENED, by, comment=comment)
    return locked


# --- quarterly progress ----------------------------------------------------------------


def quarter_report_open(*, plan: ActionPlan, quarter: int, today=None) -> QuarterReport:
    """The report of `plan` for `quarter`, made when first needed: once the quarter has
    begun and some version of the plan is verified."""
    today = today or timezone.localdate()
    if not plan.was_verified:
        raise ValidationError(_("Progress is reported once the plan has been verified."))
    if today < quarter_start(plan.year, quarter):
        raise ValidationError(
            _("Quarter %(quarter)d of %(year)d has not begun yet.")
            % {"quarter": quarter, "year": plan.year}
        )
    report, _created = QuarterReport.objects.get_or_create(plan=plan, quarter=quarter)
    return report


def _locked_report(report: QuarterReport, by: User) -> QuarterReport:
    if not may_edit_plan(by, report.plan.agency_id):
        raise PermissionDenied
    locked = QuarterReport.objects.select_for_update().get(pk=report.pk)
    if not locked.is_editable:
        raise ValidationError(
            _(
                "This quarter's report is %(status)s: it changes only after the secretariat "
                "returns it."
            )
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def progress_save(
    *,
    progress: Progress,
    version: int | None,
    by: User,
    evidence: Iterable[CheckedDocument] = (),
) -> Progress:
    """Record or correct one activity's progress in a draft or returned quarter's report;
    `version` is the one read (None for a new entry)."""
    with documents_removed_on_failure(), transaction.atomic():
        report = _locked_report(progress.report, by)
        activity = progress.activity
        if activity.plan_id != report.plan_id or not activity.agreed:
            raise ValidationError(_("Progress is reported on the activities of the verified plan."))
        if progress.pk is not None:
            stored = Progress.objects.select_for_update().get(pk=progress.pk, report=report)
            version_check(stored, version, by=stored.updated_by, at=stored.updated_at)
            progress.version = stored.version + 1
        elif (stored := report.progress.filter(activity=activity).first()) is not None:
            # Someone else entered this activity's progress since the form was opened.
            version_check(stored, 0, by=stored.updated_by, at=stored.updated_at)
        progress.updated_by = by
        progress.full_clean(exclude=["report", "activity", "updated_by"])
        progress.save()
        for document in evidence:
            item = ProgressEvidence(progress=progress, name=document.name, uploaded_by=by)
            document_save(document, item.file)
            item.save()
        _bump(report)
    return progress


def report_submit(*, report: QuarterReport, version: int, by: User) -> QuarterReport:
    """Send a quarter's report to the secretariat: every activity of the verified plan
    must have its progress."""
    with transaction.atomic():
        locked = _locked_report(report, by)
        version_check(locked, version, by=None, at=None)
        entered = set(locked.progress.values_list("activity", flat=True))
        missing = locked.plan.activities.filter(agreed=True).exclude(pk__in=entered)
        if names := [activity.name for activity in missing[:3]]:
            raise ValidationError(
                _("Enter the progress of every activity first; still missing: %(names)s.")
                % {"names": "; ".join(names) + ("…" if missing.count() > 3 else "")}
            )
        locked.status, locked.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
        locked.first_submitted_at = locked.first_submitted_at or locked.submitted_at
        _bump(locked)
        _event(locked.plan, PlanAction.SUBMITTED, by, quarter=locked.quarter)
    return locked


def report_review(
    *, report: QuarterReport, version: int, verified: bool, comment: str = "", by: User
) -> QuarterReport:
    """Verify a quarter's submitted report, or return it with a comment saying why. A
    verified report may be returned too: only so does it change again."""
    if not may_review_plans(by):
        raise PermissionDenied
    comment = comment.strip()
    if not verified and not comment:
        raise ValidationError({"comment": _("Say why the report is returned.")})
    with transaction.atomic():
        locked = QuarterReport.objects.select_for_update().get(pk=report.pk)
        if verified or locked.status != ReviewStatus.VERIFIED:
            _awaiting(locked)
        version_check(locked, version, by=None, at=None)
        locked.status = ReviewStatus.VERIFIED if verified else ReviewStatus.RETURNED
        locked.review_comment = comment
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()
        _bump(locked)
        action = PlanAction.VERIFIED if verified else PlanAction.RETURNED
        _event(locked.plan, action, by, quarter=locked.quarter, comment=comment)
    return locked


# --- deadlines and reminders -----------------------------------------------------------


def deadline_set(*, year: int, quarter: int, due_on, by: User) -> ReportDeadline:
    """Set the deadline of `quarter`'s reports in `year`."""
    if not may_review_plans(by):
        raise PermissionDenied
    if due_on <= quarter_end(year, quarter):
        raise ValidationError({"due_on": _("A deadline falls after its quarter has ended.")})
    deadline, _created = ReportDeadline.objects.update_or_create(
        year=year, quarter=quarter, defaults={"due_on": due_on, "set_by": by}
    )
    figures_changed.send(sender=ReportDeadline, years=[year])
    return deadline


def reminder_send(*, plan: ActionPlan, quarter: int, due_on, by: User) -> None:
    """Remind `plan`'s agency that its report for `quarter` is late: on its home page,
    and by e-mail to its operators when an SMTP server is configured."""
    if not may_review_plans(by):
        raise PermissionDenied
    if not plan.was_verified or due_on >= timezone.localdate():
        raise ValidationError(_("This report is not late: no reminder is needed."))
    with transaction.atomic():
        report = plan.reports.filter(quarter=quarter).first()
        if report is not None and report.status in ReviewStatus.reported():
            raise ValidationError(_("This report has been sent meanwhile: no reminder is needed."))
        _event(plan, PlanAction.REMINDED, by, quarter=quarter)
        if settings.EMAIL_HOST:
            transaction.on_commit(lambda: _reminder_mail(plan, quarter, due_on))


def _reminder_mail(plan: ActionPlan, quarter: int, due_on) -> None:
    recipients = list(
        plan.agency.users.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if not recipients:
        return
    # In the installation's language, whatever language the secretariat's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("TKPK: the report for quarter %(quarter)d of %(year)d is late") % {
            "quarter": quarter,
            "year": plan.year,
        }
        body = _(
            "The progress report of %(agency)s for quarter %(quarter)d of %(year)d was due on "
            "%(due)s and has not been sent. Please enter and submit it in the TKPK application."
        ) % {
            "agency": plan.agency.name,
            "quarter": quarter,
            "year": plan.year,
            "due": date_format(due_on, "j F Y"),
        }
    # A mail server that is down must not undo the reminder: it is on the home page anyway.
    send_mail(str(subject), str(body), None, recipients, fail_silently=True)
