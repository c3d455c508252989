"""Agency action plans: the year's list, a plan with its activities and history, and the
workflow (submit, verify or return, open a revision). Activities: programs.views.activities.

Every write goes through programs.plan_services. An agency operator reaches only its own
agency's plans: another agency's plan or activity, by URL or by a tampered form, is "not
found" (plans_for, then may_edit_plan for writes).
"""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programs import plan_services
from programs.achievement import PlanAchievement, plan_achievement
from programs.models import (
    QUARTERS,
    ActionPlan,
    Activity,
    BudgetTag,
    QuarterReport,
    ReviewStatus,
    quarter_start,
)
from programs.plan_forms import (
    PlanCreateForm,
    PlanReviseForm,
    PlanSubmitForm,
    PlanYearForm,
)
from programs.plan_selectors import activity_rows, in_force, plans_for, reported_progress
from programs.plan_services import PLAN_READERS, may_edit_plan, may_review_plans
from tkpk.forms import ReviewForm, refusal_show
from tkpk.models import Agency, Role
from tkpk.permissions import MANAGERS, role_required
from tkpk.typed import typed_data


def _readable_plan(request: HttpRequest, pk: int) -> ActionPlan:
    return get_object_or_404(plans_for(request.user), pk=pk)


def own_plan(request: HttpRequest, pk: int) -> ActionPlan:
    """A plan the user writes: their own agency's; any other is not found."""
    plan = _readable_plan(request, pk)
    if not may_edit_plan(request.user, plan.agency_id):
        raise Http404
    return plan


def refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- the year's plans ------------------------------------------------------------------


@dataclass(frozen=True)
class PlanListRow:
    agency: Agency
    plan: ActionPlan | None  # annotated with activity_count and budget_total
    achievement: PlanAchievement | None  # at the end of the last quarter reported


def _latest_achievements(plans: list[ActionPlan]) -> dict[int, PlanAchievement]:
    """Each plan's achievement at the end of its last quarter reported, in three queries."""
    latest = dict(
        QuarterReport.objects.filter(plan__in=plans, status__in=ReviewStatus.reported())
        .values("plan_id")
        .annotate(last=Max("quarter"))
        .values_list("plan_id", "last")
    )
    if not latest:
        return {}
    activities: dict[int, list[Activity]] = defaultdict(list)
    for activity in Activity.objects.filter(plan__in=list(latest), agreed=True):
        activities[activity.plan_id].append(activity)
    reported = reported_progress(list(latest))
    by_id = {plan.pk: plan for plan in plans}
    return {
        plan_id: plan_achievement(in_force(by_id[plan_id], activities[plan_id]), quarter, reported)
        for plan_id, quarter in latest.items()
    }


@require_GET
@role_required(*PLAN_READERS)
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans of a year: every agency's for the secretariat and leaders, with those that
    have none; an agency operator's own, with a button to start it."""
    user = request.user
    form = PlanYearForm(request.GET or None)
    today = timezone.localdate()
    year = today.year
    if form.is_valid() and form.cleaned_data["tahun"]:
        year = form.cleaned_data["tahun"]
    plans = {
        plan.agency_id: plan
        for plan in plans_for(user)
        .in_year(year)
        .annotate(activity_count=Count("activities"), budget_total=Sum("activities__budget"))
    }
    achievements = _latest_achievements(list(plans.values()))
    if user.role == Role.AGENCY:
        agencies = Agency.objects.filter(pk=user.agency_id)
    else:
        agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=list(plans)))
    rows = [
        PlanListRow(
            agency=agency,
            plan=plans.get(agency.pk),
            achievement=achievements.get(plans[agency.pk].pk) if agency.pk in plans else None,
        )
        for agency in agencies.order_by("acronym")
    ]
    own = user.role == Role.AGENCY and user.agency_id is not None
    return render(
        request,
        "programs/plan_list.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "own": own,
            "may_start": own and user.agency_id not in plans,
            "may_review": may_review_plans(user),
            # From the last quarter on, next year's plan is prepared (budgets are set then).
            "next_year": year + 1
            if own and year == today.year and today.month >= 10 and user.agency_id in plans
            else None,
            "create_form": PlanCreateForm(initial={"year": year}) if own else None,
            "counts": {
                status: sum(1 for plan in plans.values() if plan.status == status)
                for status in ReviewStatus.values
            },
        },
    )


@require_POST
@role_required(Role.AGENCY)
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start the operator's agency's plan for a year, as a draft; the agency is always
    their own, whatever the form says."""
    user = request.user
    if user.agency_id is None:
        raise Http404
    form = PlanCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_text(ValidationError(list(form.errors["year"]))))
        return redirect("programs:plan_list")
    year = form.cleaned_data["year"]
    try:
        plan = plan_services.plan_create(agency=user.agency, year=year, by=user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(f"{reverse('programs:plan_list')}?tahun={year}")
    messages.success(
        request,
        _("The action plan for %(year)d was started: add its activities.") % {"year": year},
    )
    return redirect("programs:plan_detail", pk=plan.pk)


# --- one plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class PillarGroup:
    pillar: str
    rows: list
    budget: Decimal


def _pillar_groups(rows) -> list[PillarGroup]:
    """The plan's activities by pillar, in the pillars' order, with each pillar's budget."""
    groups = []
    for pillar, grouped in itertools.groupby(rows, key=lambda row: row.activity.pillar):
        items = list(grouped)
        budget = sum((row.activity.budget for row in items), Decimal(0))
        groups.append(PillarGroup(pillar=str(pillar), rows=items, budget=budget))
    return groups


def _budget_by_tag(activities: list[Activity]) -> list[tuple[str, Decimal]]:
    totals = {tag: Decimal(0) for tag in BudgetTag.values}
    for activity in activities:
        totals[activity.budget_tag] += activity.budget
    return [(BudgetTag(tag).label, total) for tag, total in totals.items()]


@dataclass(frozen=True)
class VerifiedVersion:
    """The plan as last verified, kept while a revision is prepared."""

    revision: int
    verified_by: str
    verified_at: datetime.datetime | None
    groups: list[tuple[str, list[dict]]]


def _verified_version(plan: ActionPlan) -> VerifiedVersion | None:
    """The last verified version, shown while a revision is in progress."""
    snapshot = plan.verified_version
    if not snapshot or plan.revision == 0 or plan.status == ReviewStatus.VERIFIED:
        return None
    try:
        verified_at = datetime.datetime.fromisoformat(snapshot.get("verified_at", ""))
    except ValueError:
        verified_at = None
    activities = snapshot.get("activities", [])
    groups = [
        (pillar, list(items))
        for pillar, items in itertools.groupby(activities, key=lambda item: item["pillar"])
    ]
    for _pillar, items in groups:
        for item in items:
            item["budget_number"] = Decimal(item["budget"])
            item["target_number"] = Decimal(item["target"])
            item["quarter_numbers"] = [Decimal(value) for value in item["quarter_targets"]]
    return VerifiedVersion(
        revision=snapshot.get("revision", 0),
        verified_by=snapshot.get("verified_by", ""),
        verified_at=verified_at,
        groups=groups,
    )


@dataclass(frozen=True)
class QuarterLink:
    quarter: int
    begun: bool
    status: str | None
    status_label: str


def _quarter_links(plan: ActionPlan) -> list[QuarterLink]:
    """Each quarter's report page, once the plan was verified and the quarter has begun."""
    if not plan.was_verified:
        return []
    today = timezone.localdate()
    statuses = dict(plan.reports.values_list("quarter", "status"))
    return [
        QuarterLink(
            quarter=quarter,
            begun=quarter_start(plan.year, quarter) <= today,
            status=statuses.get(quarter),
            status_label=ReviewStatus(statuses[quarter]).label if quarter in statuses else "",
        )
        for quarter in QUARTERS
    ]


def _typed_comment(request: HttpRequest, plan: ActionPlan, action: str) -> dict:
    """A form's initial values: the plan's version, and the comment typed into it before
    the session ended, if any (tkpk.typed)."""
    typed = typed_data(request, action=reverse(f"programs:{action}", args=[plan.pk]))
    return {"version": plan.version, "comment": typed.get("comment", "") if typed else ""}


def _detail(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    submit_form: PlanSubmitForm | None = None,
    review_form: ReviewForm | None = None,
    revise_form: PlanReviseForm | None = None,
) -> HttpResponse:
    user = request.user
    rows = activity_rows(plan)
    activities = [row.activity for row in rows]
    editor = may_edit_plan(user, plan.agency_id)
    editable = editor and plan.is_editable
    if editable and submit_form is None:
        submit_form = PlanSubmitForm(initial=_typed_comment(request, plan, "plan_submit"))
    reviewer = may_review_plans(user) and plan.status == ReviewStatus.SUBMITTED
    if reviewer and review_form is None:
        review_form = ReviewForm(initial=_typed_comment(request, plan, "plan_review"))
    revisable = editor and plan.status == ReviewStatus.VERIFIED
    if revisable and revise_form is None:
        revise_form = PlanReviseForm(initial=_typed_comment(request, plan, "plan_revise"))
    refused = any(
        form is not None and form.is_bound for form in (submit_form, review_form, revise_form)
    )
    return render(
        request,
        "programs/plan_detail.html",
        {
            "plan": plan,
            "groups": _pillar_groups(rows),
            "activity_count": len(activities),
            "budget_total": sum((activity.budget for activity in activities), Decimal(0)),
            "budget_by_tag": _budget_by_tag(activities),
            "quarters": QUARTERS,
            "quarter_links": _quarter_links(plan),
            "events": plan.events.select_related("by"),
            "editable": editable,
            "submit_form": submit_form if editable else None,
            "review_form": review_form if reviewer else None,
            "revise_form": revise_form if revisable else None,
            "verified": _verified_version(plan),
            "last_return": plan.events.filter(quarter=None, action="returned")
            .select_related("by")
            .first()
            if plan.status == ReviewStatus.RETURNED
            else None,
        },
        status=400 if refused else 200,
    )


@require_GET
@role_required(*PLAN_READERS)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its activities by pillar with targets and achievement, its totals, its
    quarterly reports, its history, and what the user may do with it now."""
    return _detail(request, _readable_plan(request, pk))


def _retry(form, plan: ActionPlan, error: ValidationError):
    """Show a workflow step's refusal on its form, based on the plan as it is now, so that
    a second try acts on what the page then shows."""
    refusal_show(form, error)
    form.data = form.data.copy()
    form.data["version"] = plan.version
    return form


@require_POST
@role_required(Role.AGENCY)
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the plan to the secretariat for verification."""
    plan = own_plan(request, pk)
    form = PlanSubmitForm(request.POST)
    if form.is_valid():
        try:
            plan_services.plan_submit(
                plan=plan,
                version=form.cleaned_data["version"],
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            plan.refresh_from_db()
            _retry(form, plan, error)
        else:
            messages.success(
                request, _("The plan was sent to the secretariat: it awaits verification.")
            )
            return redirect("programs:plan_detail", pk=plan.pk)
    return _detail(request, plan, submit_form=form)


@require_POST
@role_required(*MANAGERS)
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify a submitted plan, or return it to its agency with a comment."""
    plan = _readable_plan(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            plan_services.plan_review(
                plan=plan,
                version=form.cleaned_data["version"],
                verified=form.verified,
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            plan.refresh_from_db()
            _retry(form, plan, error)
        else:
            if form.verified:
                messages.success(request, _("The plan was verified."))
            else:
                messages.success(request, _("The plan was returned to the agency."))
            return redirect("programs:plan_detail", pk=plan.pk)
    return _detail(request, plan, review_form=form)


@require_POST
@role_required(Role.AGENCY)
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a revision of a verified plan; its verified version stays readable."""
    plan = own_plan(request, pk)
    form = PlanReviseForm(request.POST)
    if form.is_valid():
        try:
            plan_services.plan_revise(
                plan=plan, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            plan.refresh_from_db()
            refusal_show(form, error)
        else:
            messages.success(
                request,
                _("A revision was opened: change the plan, then submit it for verification."),
            )
            return redirect("programs:plan_detail", pk=plan.pk)
    return _detail(request, plan, revise_form=form)
