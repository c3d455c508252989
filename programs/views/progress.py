"""Quarterly progress of an action plan: the quarter's report, entering one activity's
progress with evidence, submitting it, the secretariat's review, and evidence downloads.

A plan is reached only through plan_selectors.plans_for: an agency operator opening another
agency's plan, report or evidence by URL gets "not found", and so does an activity id of
another plan in a URL. Writes go through programs.plan_services, which decides who may.
"""

import copy
import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs import plan_selectors, plan_services
from programs.achievement import (
    ActivityAchievement,
    PlanAchievement,
    Reported,
    activity_achievement,
    cumulative_target,
    plan_achievement,
)
from programs.models import (
    QUARTERS,
    ActionPlan,
    Activity,
    Progress,
    ProgressEvidence,
    QuarterReport,
    ReviewStatus,
    quarter_end,
    quarter_start,
    report_late,
)
from programs.plan_services import PLAN_READERS
from programs.progress_forms import ProgressForm, register_participants
from tkpk.documents import document_response
from tkpk.forms import ReviewForm, refusal_show
from tkpk.locking import EditConflict, conflict_show
from tkpk.models import Role
from tkpk.permissions import MANAGERS, role_required
from tkpk.typed import typed_data

# Who opens a plan's quarterly report (an agency operator only its own agency's).
# Evidence may name the people reached: only the plan's agency and the secretariat download
# it; leaders read the files' names.
EVIDENCE_READERS = (*MANAGERS, Role.AGENCY)
# The query parameter of the progress form that takes the beneficiaries from the register.
FROM_REGISTER = "dari_register"


def _today() -> datetime.date:
    return timezone.localdate()


def _plan(request: HttpRequest, pk: int, quarter: int) -> ActionPlan:
    """A plan the user may read, and a quarter that exists; "not found" otherwise."""
    if quarter not in QUARTERS:
        raise Http404
    return get_object_or_404(plan_selectors.plans_for(request.user), pk=pk)


def _editable_plan(request: HttpRequest, pk: int, quarter: int) -> ActionPlan:
    """As _plan, for the plan's own agency operators only."""
    plan = _plan(request, pk, quarter)
    if not plan_services.may_edit_plan(request.user, plan.agency_id):
        raise Http404
    return plan


@dataclass(frozen=True)
class ProgressRow:
    """One agreed activity in the quarter: its progress as entered and its achievement."""

    activity: Activity
    achievement: ActivityAchievement
    progress: Progress | None


def _closed_reason(plan: ActionPlan, quarter: int, today: datetime.date) -> str | None:
    """Why no progress is reported for `quarter` yet, or None when it is."""
    if not plan.was_verified:
        return _(
            "Progress is reported once the plan has been verified by the secretariat. "
            "The plan is now: %(status)s."
        ) % {"status": plan.get_status_display().lower()}
    if today < quarter_start(plan.year, quarter):
        return _("Quarter %(quarter)d of %(year)d has not begun yet: it begins on %(date)s.") % {
            "quarter": quarter,
            "year": plan.year,
            "date": date_format(quarter_start(plan.year, quarter), "j F Y"),
        }
    return None


def _rows(
    plan: ActionPlan, quarter: int, report: QuarterReport | None
) -> tuple[list[ProgressRow], PlanAchievement]:
    """Each agreed activity with this quarter's entry and its achievement. What the
    report holds counts here even while it is a draft, so the agency sees what it will
    send; the overview and home pages count it only once sent (the page says so)."""
    activities = plan_selectors.in_force(
        plan, list(plan.activities.filter(agreed=True).select_related("pillar", "program"))
    )
    sent = plan_selectors.reported_progress([plan])
    entries: dict[int, Progress] = {}
    if report is not None:
        entries = {
            entry.activity_id: entry
            for entry in report.progress.select_related("updated_by").prefetch_related("evidence")
        }
    reported = {activity.pk: dict(sent.get(activity.pk, {})) for activity in activities}
    for activity_id, entry in entries.items():
        if activity_id in reported:
            reported[activity_id][quarter] = Reported(realised=entry.realised, spent=entry.spent)
    rows = [
        ProgressRow(
            activity=activity,
            achievement=activity_achievement(activity, quarter, reported[activity.pk]),
            progress=entries.get(activity.pk),
        )
        for activity in activities
    ]
    return rows, plan_achievement(activities, quarter, reported)


def _detail(
    request: HttpRequest,
    plan: ActionPlan,
    quarter: int,
    *,
    review: ReviewForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    user = request.user
    today = _today()
    report = plan.reports.filter(quarter=quarter).select_related("reviewed_by").first()
    closed = _closed_reason(plan, quarter, today)
    sent = report is not None and report.status in ReviewStatus.reported()
    due_on = plan_selectors.plan_deadlines(plan)[quarter]
    agency_operator = plan_services.may_edit_plan(user, plan.agency_id)
    reviews = plan_services.may_review_plans(user)
    editable = closed is None and agency_operator and (report is None or report.is_editable)
    rows, total = ([], None) if closed else _rows(plan, quarter, report)
    if (
        review is None
        and reviews
        and report is not None
        and report.status in (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED)
    ):
        action = reverse("programs:report_review", args=[plan.pk, quarter])
        typed = typed_data(request, action=action)  # typed before the session ended
        comment = typed.get("comment", "") if typed else ""
        review = ReviewForm(initial={"version": report.version, "comment": comment})
    if editable:
        # A report sent as the session ended was not sent: say so (tkpk.typed warns).
        typed_data(request, action=reverse("programs:report_submit", args=[plan.pk, quarter]))
    failed = bool(errors) or (review is not None and review.is_bound)
    return render(
        request,
        "programs/report_detail.html",
        {
            "plan": plan,
            "quarter": quarter,
            "quarters": QUARTERS,
            "report": report,
            "status": report.status if report else ReviewStatus.DRAFT,
            "status_label": report.get_status_display() if report else _("Not started"),
            "closed": closed,
            "sent": sent,
            "due_on": due_on,
            "late": closed is None
            and report_late(due_on, report.status if report else None, today),
            "sent_days_late": _days_late(report, due_on),
            "quarter_start": quarter_start(plan.year, quarter),
            "quarter_end": quarter_end(plan.year, quarter),
            "rows": rows,
            "total": total,
            "history": plan.events.filter(quarter=quarter).select_related("by"),
            "editable": editable,
            "evidence_downloadable": agency_operator or reviews,
            "review": review if reviews else None,
            "errors": errors or [],
        },
        status=400 if failed else 200,
    )


def _days_late(report: QuarterReport | None, due_on: datetime.date) -> int:
    """How many days after its deadline the report was first sent; 0 if on time or unsent."""
    if report is None or report.first_submitted_at is None:
        return 0
    return max(0, (timezone.localtime(report.first_submitted_at).date() - due_on).days)


@require_GET
@role_required(*PLAN_READERS)
def report_detail(request: HttpRequest, pk: int, quarter: int) -> HttpResponse:
    """A plan's report for one quarter: each activity's progress and achievement, the
    deadline, the secretariat's comment and the quarter's history."""
    return _detail(request, _plan(request, pk, quarter), quarter)


def _refused(
    request: HttpRequest, plan: ActionPlan, activity: Activity, quarter: int, reason: str
) -> HttpResponse:
    return render(
        request,
        "programs/progress_form.html",
        {"plan": plan, "activity": activity, "quarter": quarter, "refused": reason},
        status=400 if request.method == "POST" else 200,
    )


def _earlier(activity: Activity, quarter: int) -> list[Progress]:
    """What was entered for `activity` in the quarters before `quarter`, with its status."""
    return list(
        activity.progress.filter(report__quarter__lt=quarter)
        .select_related("report")
        .order_by("report__quarter")
    )


def _from_register(
    request: HttpRequest, activity: Activity, quarter: int, *, typed: bool
) -> tuple[dict, dict | None]:
    """The form's initial beneficiaries taken from the register when asked (never over
    what was typed), and what the page says about them."""
    if typed or not activity.program or not request.GET.get(FROM_REGISTER):
        return {}, None
    on = quarter_end(activity.plan.year, quarter)
    count = register_participants(activity.program, on)
    return {"beneficiaries": count}, {"count": count, "program": activity.program, "on": on}


@require_http_methods(["GET", "POST"])
@role_required(Role.AGENCY)
def progress_edit(request: HttpRequest, pk: int, quarter: int, activity: int) -> HttpResponse:
    """Enter or correct one activity's progress in the quarter's report, with evidence."""
    plan = _editable_plan(request, pk, quarter)
    activity = get_object_or_404(
        plan.activities.filter(agreed=True).select_related("program", "pillar"), pk=activity
    )
    try:
        report = plan_services.quarter_report_open(plan=plan, quarter=quarter, today=_today())
    except ValidationError as error:
        return render(
            request,
            "programs/progress_form.html",
            {"plan": plan, "activity": activity, "quarter": quarter, "closed": error.messages},
            status=400,
        )
    # On the GET back from the login page, what was typed before the session ended.
    data = typed_data(request)
    if not report.is_editable and data is None:
        return _refused(
            request,
            plan,
            activity,
            quarter,
            _(
                "This quarter's report is %(status)s: it can be changed only after it is "
                "returned first by the secretariat."
            )
            % {"status": report.get_status_display().lower()},
        )
    # A report sent meanwhile is refused by the service: the form comes back as typed.
    progress = report.progress.filter(activity=activity).first() or Progress(
        report=report, activity=activity
    )
    initial, from_register = _from_register(request, activity, quarter, typed=data is not None)
    form = ProgressForm(
        data,
        request.FILES if request.method == "POST" else None,
        instance=progress,
        initial=initial,
        user=request.user,
    )
    conflict_rows = []
    if request.method == "POST" and form.is_valid():
        try:
            # A copy: a refused save must leave the form as typed, without an id.
            plan_services.progress_save(
                progress=copy.copy(form.instance),
                version=form.cleaned_data["version"],
                by=request.user,
                evidence=form.cleaned_data["evidence"],
            )
        except EditConflict as conflict:
            conflict_rows = conflict_show(form, conflict)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(
                request,
                _("The progress of “%(activity)s” was saved.") % {"activity": activity.name},
            )
            return redirect("programs:report_detail", pk=plan.pk, quarter=quarter)
    return render(
        request,
        "programs/progress_form.html",
        {
            "plan": plan,
            "activity": activity,
            "quarter": quarter,
            "report": report,
            "progress": progress,
            "form": form,
            "conflict_rows": conflict_rows,
            "quarter_target": activity.quarter_target(quarter),
            "cumulative_target": cumulative_target(activity, quarter),
            "earlier": _earlier(activity, quarter),
            "evidence": list(progress.evidence.all()) if progress.pk else [],
            "from_register": from_register,
            "from_register_param": FROM_REGISTER,
            "quarter_end": quarter_end(plan.year, quarter),
        },
        status=400 if request.method == "POST" else 200,
    )


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_POST
@role_required(Role.AGENCY)
def report_submit(request: HttpRequest, pk: int, quarter: int) -> HttpResponse:
    """Send the quarter's report to the secretariat; refused, with what is missing, until
    every agreed activity has its progress."""
    plan = _editable_plan(request, pk, quarter)
    version = _version(request)
    try:
        if version is None:
            raise ValidationError(_("The form was incomplete: open the report and try again."))
        report = plan_services.quarter_report_open(plan=plan, quarter=quarter, today=_today())
        plan_services.report_submit(report=report, version=version, by=request.user)
    except EditConflict:
        errors = [
            _(
                "The report changed after you opened it (someone entered or corrected "
                "progress). Check it as it is now, then submit again."
            )
        ]
    except ValidationError as error:
        errors = error.messages
    else:
        messages.success(
            request,
            _("The report for quarter %(quarter)d was sent to the secretariat for verification.")
            % {"quarter": quarter},
        )
        return redirect("programs:report_detail", pk=plan.pk, quarter=quarter)
    return _detail(request, plan, quarter, errors=errors)


@require_POST
@role_required(*MANAGERS)
def report_review(request: HttpRequest, pk: int, quarter: int) -> HttpResponse:
    """Verify the quarter's report, or return it to the agency with a comment."""
    plan = _plan(request, pk, quarter)
    report = get_object_or_404(QuarterReport, plan=plan, quarter=quarter)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            plan_services.report_review(
                report=report,
                version=form.cleaned_data["version"],
                verified=form.verified,
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except EditConflict:
            form.add_error(
                None,
                _(
                    "The agency changed the report after you opened it. Check it as it is "
                    "now, then verify or return it again."
                ),
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            if form.verified:
                messages.success(request, _("The report was verified."))
            else:
                messages.success(request, _("The report was returned to the agency."))
            return redirect("programs:report_detail", pk=plan.pk, quarter=quarter)
    report.refresh_from_db()
    # The page shows the report as it is now: a second try reviews this version.
    form.data = form.data.copy()
    form.data["version"] = report.version
    return _detail(request, plan, quarter, review=form)


@require_GET
@role_required(*EVIDENCE_READERS)
def progress_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, to the secretariat, the administrator and the operators of the
    agency whose progress it shows (plans_for keeps them to their own)."""
    item = get_object_or_404(
        ProgressEvidence.objects.filter(
            progress__report__plan__in=plan_selectors.plans_for(request.user)
        ),
        pk=pk,
    )
    return document_response(item.file, name=item.name)
