"""The programs list, a program's page, and creating and editing a program."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from households.models.register import PRODUCTIVE_AGE
from partners.models import Pledge
from partners.selectors import commitments_for, participants_helped, partners_with_tallies
from programs.forms import BudgetLineFormSet, ProgramForm, QuotaFormSet
from programs.models import EnrollmentStatus, Pillar, Program, ProgramStatus
from programs.selectors import (
    Graduation,
    Outcome,
    budget_by_source,
    graduation,
    income_change,
    program_summaries,
    programs_for,
    quota_rows,
    status_counts,
)
from programs.services import may_manage, may_see_participants, program_save
from programs.views.reach import overlap_list
from tkpk.forms import year_field
from tkpk.models import Agency, Role
from tkpk.permissions import MANAGERS, role_required, sees_personal_data

# A partner operator reads only the programs its partner signed a commitment for
# (programs_for), and never who takes part in them (may_see_participants).
PROGRAM_READERS = (Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY, Role.PARTNER)
PROGRAM_EDITORS = (Role.ADMIN, Role.SECRETARIAT, Role.AGENCY)
PARTICIPANTS_PAGE = 50


class ProgramFilterForm(forms.Form):
    pillar = forms.ModelChoiceField(
        label=gettext_lazy("Pillar"),
        queryset=Pillar.objects.all(),
        required=False,
        empty_label=gettext_lazy("All pillars"),
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=gettext_lazy("All agencies"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Every status")), *ProgramStatus.choices],
        required=False,
    )
    year = year_field()

    def filter(self, programs):
        data = self.cleaned_data
        if data["pillar"]:
            programs = programs.filter(pillar=data["pillar"])
        if data["agency"]:
            programs = programs.led_or_joined_by(data["agency"].pk)
        if data["status"]:
            programs = programs.filter(status=data["status"])
        if data["year"]:
            programs = programs.in_year(data["year"])
        return programs


@require_GET
@role_required(*PROGRAM_READERS)
def program_list(request: HttpRequest) -> HttpResponse:
    """Every program, filtered by pillar, agency, status and year."""
    form = ProgramFilterForm(request.GET or None)
    programs = programs_for(request.user)
    if form.is_valid():
        programs = form.filter(programs)
    return render(
        request,
        "programs/program_list.html",
        {
            "form": form,
            "programs": program_summaries(programs).order_by("-start_date", "code"),
            "can_create": request.user.role in MANAGERS,
            "sees_overlap": request.user.role in overlap_list.allowed_roles,
            "own_agency": request.user.agency_id,
        },
    )


def readable_program(request: HttpRequest, code: str) -> Program:
    return get_object_or_404(
        programs_for(request.user).select_related("pillar", "lead_agency"), code=code
    )


def managed_program(request: HttpRequest, code: str) -> Program:
    """The program `code`, if the user may manage it (edit it, enrol into it); else 403."""
    program = readable_program(request, code)
    if not may_manage(request.user, program) or request.user.is_read_only:
        raise PermissionDenied
    return program


@require_GET
@role_required(*PROGRAM_READERS)
def program_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A program: its rules in words, quotas per village, outcomes, budget and participants."""
    program = readable_program(request, code)
    user = request.user
    lines, budget_total = budget_by_source(program)
    outcomes = graduation(program)
    quotas = quota_rows(program)
    commitments = commitments_for(user).filter(program=program)
    context = {
        "program": program,
        "agencies": program.agencies.all(),
        "quotas": quotas,
        "whole_region": not program.quotas.exists(),
        "status_counts": [
            (EnrollmentStatus(s).label, n) for s, n in status_counts(program).items()
        ],
        "outcomes": outcomes,
        "outcome_kinds": list(Outcome),
        "outcome_total": [outcomes.total[kind] for kind in Outcome],
        "outcome_rows": _outcome_rows(outcomes, quotas),
        "budget_lines": lines,
        "budget_total": budget_total,
        "income": income_change(program),
        "partners": partners_with_tallies(Pledge.objects.filter(commitment__in=commitments)),
        "helped": participants_helped(program, commitments),
        "commitments": commitments.order_by("-signed_on"),
        "can_manage": may_manage(user, program) and not user.is_read_only,
        "upload_url": reverse("programs:enrollment_upload", kwargs={"code": program.code}),
        "today": timezone.localdate(),
        "productive_age": PRODUCTIVE_AGE,
    }
    if may_see_participants(user, program):
        participants = program.enrollments.select_related("person", "village").order_by(
            "village__name", "person__name", "pk"
        )
        status = request.GET.get("status", "")
        if status in EnrollmentStatus.values:
            participants = participants.filter(status=status)
        context |= {
            "participants": Paginator(participants, PARTICIPANTS_PAGE).get_page(
                request.GET.get("page")
            ),
            "status_filter": status,
            "exclusion_url": reverse("programs:exclusion", kwargs={"code": program.code}),
            "statuses": EnrollmentStatus.choices,
            "full_data": sees_personal_data(user),
        }
    return render(request, "programs/program_detail.html", context)


def _outcome_rows(outcomes: Graduation, quotas: list) -> list[dict]:
    names = {row.village.code: row.village.name for row in quotas}
    return [
        {"name": names.get(code, code), "counts": [counts[kind] for kind in Outcome]}
        for code, counts in sorted(outcomes.by_village.items())
    ]


def _save(request: HttpRequest, program: Program | None) -> HttpResponse:
    instance = program or Program()
    data = request.POST or None
    form = ProgramForm(data, instance=instance, may_change_lead=request.user.role in MANAGERS)
    quotas = QuotaFormSet(data, instance=instance, prefix="quotas")
    budget_lines = BudgetLineFormSet(data, instance=instance, prefix="budget")
    if request.method == "POST" and all(f.is_valid() for f in (form, quotas, budget_lines)):
        saved = program_save(form=form, quotas=quotas, budget_lines=budget_lines, by=request.user)
        messages.success(request, _("Program %(code)s was saved.") % {"code": saved.code})
        return redirect("programs:program_detail", code=saved.code)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "quotas": quotas, "budget_lines": budget_lines, "program": program},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def program_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@role_required(*PROGRAM_EDITORS)
def program_update(request: HttpRequest, code: str) -> HttpResponse:
    return _save(request, managed_program(request, code))
