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
from programs.plan_selectors import agency_to_do, plans_at_a_glance
from programs.selectors import programs_at_a_glance
from reports.home import dashboard_at_a_glance, year_end_at_a_glance
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
            "plans": plans_at_a_glance(request.user, today=today),
            "agency_plan": agency_to_do(request.user, today=today),
            "dashboard": dashboard_at_a_glance(request.user, today=today),
            "year_end": year_end_at_a_glance(request.user, today=today),
        },
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
