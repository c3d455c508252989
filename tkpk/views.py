import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from households.dtsen.services import release_stale_loads
from households.selectors import loads_needing_attention, register_summary
from partners.selectors import partners_at_a_glance
from programs.models import ReviewStatus
from programs.plan_selectors import (
    AgencyToDo,
    CellState,
    DueReport,
    agency_to_do,
    late_reports,
)
from programs.plan_selectors import overview as plan_overview
from programs.selectors import programs_at_a_glance
from tkpk.forms import UserForm
from tkpk.models import Agency, Role, User
from tkpk.permissions import EVERYONE, MANAGERS, REGION_READERS, role_required, scope_to_user
from tkpk.services import user_save


@require_GET
@role_required(*EVERYONE)
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the register, loads to look at, programs, partners and action
    plans, by role; an agency operator's plan and reports come first."""
    today = timezone.localdate()
    if request.user.role in MANAGERS:
        release_stale_loads()  # a load whose worker died must not look busy here either
    return render(
        request,
        "tkpk/home.html",
        {
            "register": register_summary(),
            "loads": loads_needing_attention() if request.user.role in MANAGERS else None,
            "programs": programs_at_a_glance(request.user),
            "partners": partners_at_a_glance(request.user, today=today),
            "plans": _plans_at_a_glance(request.user, today=today),
            "agency_plan": _agency_plan(request.user, today=today),
        },
    )


@dataclass(frozen=True)
class DueLine:
    """A report the agency still owes, with the days left before its deadline, or late."""

    report: DueReport
    days: int  # after the deadline when report.late, else before it

    @property
    def status_label(self) -> str:
        status = self.report.status
        return ReviewStatus(status).label if status else _("Not started")


@dataclass(frozen=True)
class AgencyPlan:
    """An agency operator's part of the home page: plan_selectors.agency_to_do, dated."""

    to_do: AgencyToDo
    due: list[DueLine]
    reminded: list[DueReport]


def _agency_plan(user: User, *, today: datetime.date) -> AgencyPlan | None:
    to_do = agency_to_do(user, today=today)
    if to_do is None:
        return None
    return AgencyPlan(
        to_do=to_do,
        due=[DueLine(report=item, days=abs((today - item.due_on).days)) for item in to_do.due],
        reminded=[item for item in to_do.due if item.reminded_at],
    )


@dataclass(frozen=True)
class PlansAtAGlance:
    """This year's action plans for the secretariat, the administrator and leaders."""

    year: int
    statuses: list[tuple[str, str, int]]  # key, label, number of agencies
    awaiting: int  # quarterly reports awaiting verification
    late: int  # quarterly reports whose deadline passed with nothing sent


def _plans_at_a_glance(user: User, *, today: datetime.date) -> PlansAtAGlance | None:
    if user.role not in REGION_READERS:
        return None
    rows = plan_overview(today.year, today=today)  # one overview: cheap at any size
    counts: Counter[str] = Counter()
    for row in rows:
        if row.plan is None:
            counts["none"] += 1
        elif row.plan.status == ReviewStatus.DRAFT and row.plan.was_verified:
            counts["revision"] += 1
        else:
            counts[row.plan.status] += 1
    labels = [
        ("none", _("No plan yet")),
        (ReviewStatus.DRAFT, ReviewStatus.DRAFT.label),
        (ReviewStatus.SUBMITTED, ReviewStatus.SUBMITTED.label),
        (ReviewStatus.RETURNED, ReviewStatus.RETURNED.label),
        (ReviewStatus.VERIFIED, ReviewStatus.VERIFIED.label),
        ("revision", _("Verified, revision open")),
    ]
    return PlansAtAGlance(
        year=today.year,
        statuses=[(key, label, counts[key]) for key, label in labels],
        awaiting=sum(cell.state == CellState.SUBMITTED for row in rows for cell in row.cells),
        late=len(late_reports(rows)),
    )


@require_GET
@role_required(*MANAGERS)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("agency", "partner")
    if request.user.role != Role.ADMIN:
        users = users.exclude(role=Role.ADMIN)
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(name__icontains=query)
            | Q(agency__acronym__icontains=query)
            | Q(partner__name__icontains=query)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tkpk/user_list.html",
        {"page": page, "query": query, "role": role, "roles": Role.choices},
    )


def _editable_users(editor: User):
    users = User.objects.all()
    return users if editor.role == Role.ADMIN else users.exclude(role=Role.ADMIN)


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        user = user_save(
            user=form.save(commit=False), password=form.cleaned_data["password"], by=request.user
        )
        messages.success(request, _("User %(user)s was created.") % {"user": user.username})
        return redirect("user_list")
    return render(request, "tkpk/user_form.html", {"form": form, "editing": None})


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def user_update(request: HttpRequest, pk: int) -> HttpResponse:
    editing = get_object_or_404(_editable_users(request.user), pk=pk)
    form = UserForm(request.POST or None, instance=editing, editor=request.user)
    if request.method == "POST" and form.is_valid():
        user = user_save(
            user=form.save(commit=False), password=form.cleaned_data["password"], by=request.user
        )
        messages.success(request, _("User %(user)s was saved.") % {"user": user.username})
        return redirect("user_list")
    return render(request, "tkpk/user_form.html", {"form": form, "editing": editing})


@require_GET
@role_required(*REGION_READERS)
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = scope_to_user(Agency.objects, request.user, agency_field="pk").annotate(
        operator_count=Count("users", filter=Q(users__is_active=True))
    )
    return render(request, "tkpk/agency_list.html", {"agencies": agencies})


@require_GET
@role_required(Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY)
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(
        scope_to_user(Agency.objects, request.user, agency_field="pk"), pk=pk
    )
    operators = agency.users.filter(is_active=True).order_by("username")
    return render(request, "tkpk/agency_detail.html", {"agency": agency, "operators": operators})
