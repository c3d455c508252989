"""Enrolling people into a program and following each participant.

A NIK typed to find someone travels in a POST body and is never put in a URL; the
eligible list of a village is addressed by the village's code, which is not personal.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from households.identity import clean_number
from households.models import Area, Person
from households.models.register import PRODUCTIVE_AGE
from programs.eligibility import Refusal, Rules, households_taken
from programs.exports import write_participants
from programs.forms import EnrollForm, IncomeForm, PersonSearchForm, StatusForm
from programs.models import Enrollment, EnrollmentStatus, Program
from programs.selectors import eligible_people, quota_rows, running_programs_of
from programs.services import (
    EnrollmentRefused,
    enrollment_status_change,
    income_record,
    may_manage,
    may_see_participants,
    program_enroll,
)
from programs.views.programs import (
    PROGRAM_EDITORS,
    PROGRAM_READERS,
    managed_program,
    readable_program,
)
from tkpk.forms import refusal_show
from tkpk.permissions import role_required, sees_personal_data
from tkpk.services import export_log_record

ELIGIBLE_PAGE = 25
SEARCH_RESULTS = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Candidate:
    """A person as the enrol pages show them: may they join, and what else are they in."""

    person: Person
    age: int | None
    enrolled: bool
    refusals: list[Refusal]
    other_programs: list[Program]

    @property
    def overridable(self) -> bool:
        return bool(self.refusals) and all(r.overridable for r in self.refusals)


def _candidates(program: Program, people: list[Person], *, on) -> list[Candidate]:
    """Each person with why they may not join (empty when they may) and their other programs."""
    rules = Rules(program)
    others = running_programs_of([p.pk for p in people], exclude=program)
    enrolled = set(
        Enrollment.objects.filter(program=program, person__in=people).values_list(
            "person", flat=True
        )
    )
    taken = households_taken(program, {person.household_id for person in people})
    return [
        Candidate(
            person=person,
            age=person.age(on=on),
            enrolled=person.pk in enrolled,
            refusals=rules.refusals(person, on=on, household_taken=person.household_id in taken),
            other_programs=others.get(person.pk, []),
        )
        for person in people
    ]


def _target_village(rules: Rules, code: str) -> Area:
    if code in rules.quotas:
        return rules.quotas[code].village
    if rules.whole_region:
        return get_object_or_404(
            Area.objects.within(settings.TKPK_REGION_CODE).villages(), code=code
        )
    raise Http404


@require_GET
@role_required(*PROGRAM_EDITORS)
def eligible_list(request: HttpRequest, code: str, village: str) -> HttpResponse:
    """A target village's eligible people, poorest first, with the quota left."""
    program = managed_program(request, code)
    rules = Rules(program)
    area = _target_village(rules, village)
    today = timezone.localdate()
    page = Paginator(eligible_people(rules, area.code, on=today), ELIGIBLE_PAGE).get_page(
        request.GET.get("page")
    )
    quota = next((row for row in quota_rows(program) if row.village.code == area.code), None)
    return render(
        request,
        "programs/eligible_list.html",
        {
            "program": program,
            "village": area,
            "quota": quota,
            "quota_full": quota is not None and quota.left == 0,
            "productive_age": PRODUCTIVE_AGE,
            "page": page,
            "rows": _candidates(program, list(page.object_list), on=today),
            "full_data": sees_personal_data(request.user),
            "back": request.get_full_path(),
        },
    )


@require_POST
@role_required(*PROGRAM_EDITORS)
def person_search(request: HttpRequest, code: str) -> HttpResponse:
    """Find people in the register by NIK or name, to enrol them (POST: a NIK stays out of URLs)."""
    program = managed_program(request, code)
    form = PersonSearchForm(request.POST)
    rows = []
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        people = _people_of_program_villages(program).select_related("household__village")
        digits = clean_number(text)
        if digits.isdigit():
            people = people.filter(nik=digits)
        else:
            people = people.filter(name__icontains=text).order_by("name", "pk")
        rows = _candidates(program, list(people[:SEARCH_RESULTS]), on=timezone.localdate())
    return render(
        request,
        "programs/person_search.html",
        {
            "program": program,
            "form": form,
            "rows": rows,
            "limit": SEARCH_RESULTS,
            "full_data": sees_personal_data(request.user),
            "back": reverse("programs:program_detail", kwargs={"code": program.code}),
        },
        status=200 if form.is_valid() else 400,
    )


def _people_of_program_villages(program: Program):
    """Whom a search may find: the program's target villages (the region without any).

    An agency operator sees people through its programs only: the search does not reach
    beyond the villages the program may enrol from.
    """
    people = Person.objects.in_area(settings.TKPK_REGION_CODE)
    targets = program.quotas.values("village")
    return people.filter(household__village__in=targets) if targets.exists() else people


def _back(request: HttpRequest, program: Program) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("programs:program_detail", kwargs={"code": program.code})


@require_POST
@role_required(*PROGRAM_EDITORS)
def enroll(request: HttpRequest, code: str) -> HttpResponse:
    """Enrol one person; a refusal is shown with its reasons, and the override where allowed."""
    program = managed_program(request, code)
    form = EnrollForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = get_object_or_404(
        Person.objects.in_area(settings.TKPK_REGION_CODE).select_related("household__village"),
        pk=form.cleaned_data["person"],
    )
    try:
        enrollment = program_enroll(
            program=program,
            person=person,
            by=request.user,
            override_reason=form.cleaned_data["override_reason"],
        )
    except EnrollmentRefused as refused:
        if "override_reason" in request.POST and refused.overridable:
            # The override was asked for, with a reason of only spaces.
            form.add_error("override_reason", _("Write why this person is enrolled anyway."))
        return render(
            request,
            "programs/enroll_refused.html",
            {
                "program": program,
                "person": person,
                "refused": refused,
                "form": form,
                "back": _back(request, program),
                "full_data": sees_personal_data(request.user),
            },
            status=409,
        )
    _say_enrolled(request, enrollment)
    return redirect(_back(request, program))


def _say_enrolled(request: HttpRequest, enrollment: Enrollment) -> None:
    """Who was enrolled, the places left in their village, and their other running programs."""
    program, person = enrollment.program, enrollment.person
    text = _("%(name)s was enrolled into %(program)s.") % {
        "name": person.name,
        "program": program.code,
    }
    quota = next((q for q in quota_rows(program) if q.village.code == enrollment.village_id), None)
    if quota and quota.left is not None:
        text += " " + _("%(left)d of %(quota)d places left in %(village)s.") % {
            "left": quota.left,
            "quota": quota.quota,
            "village": quota.village.name,
        }
    messages.success(request, text)
    others = running_programs_of([person.pk], exclude=program).get(person.pk)
    if others:
        messages.warning(
            request,
            _("%(name)s also takes part in: %(programs)s.")
            % {"name": person.name, "programs": ", ".join(p.name for p in others)},
        )


def _participant(request: HttpRequest, code: str, pk: int) -> Enrollment:
    program = readable_program(request, code)
    if not may_see_participants(request.user, program):
        raise PermissionDenied
    return get_object_or_404(
        Enrollment.objects.select_related("program", "person__household__village", "village"),
        program=program,
        pk=pk,
    )


def _participant_page(request, enrollment, *, status_form=None, income_form=None, status=200):
    today = timezone.localdate()
    can_manage = may_manage(request.user, enrollment.program) and not request.user.is_read_only
    return render(
        request,
        "programs/participant_detail.html",
        {
            "program": enrollment.program,
            "enrollment": enrollment,
            "person": enrollment.person,
            "events": enrollment.events.select_related("by"),
            "incomes": enrollment.incomes.select_related("by"),
            "other_programs": running_programs_of(
                [enrollment.person_id], exclude=enrollment.program
            ).get(enrollment.person_id, []),
            "can_manage": can_manage,
            "status_form": status_form
            or (
                StatusForm(enrollment=enrollment, initial={"on": today}, prefix="status")
                if EnrollmentStatus.next_statuses(enrollment.status)
                else None
            ),
            "income_form": income_form or IncomeForm(initial={"on": today}, prefix="income"),
            "full_data": sees_personal_data(request.user),
        },
        status=status,
    )


@require_GET
@role_required(*PROGRAM_READERS)
def participant_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One participant: status history, income, and the desil then and now."""
    return _participant_page(request, _participant(request, code, pk))


@require_POST
@role_required(*PROGRAM_EDITORS)
def participant_status(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    enrollment = _participant(request, code, pk)
    if not may_manage(request.user, enrollment.program):
        raise PermissionDenied
    form = StatusForm(request.POST, enrollment=enrollment, prefix="status")
    if form.is_valid():
        try:
            enrollment_status_change(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(
                "programs:participant_detail", code=enrollment.program.code, pk=enrollment.pk
            )
    return _participant_page(request, enrollment, status_form=form, status=400)


@require_POST
@role_required(*PROGRAM_EDITORS)
def participant_income(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    enrollment = _participant(request, code, pk)
    if not may_manage(request.user, enrollment.program):
        raise PermissionDenied
    form = IncomeForm(request.POST, prefix="income")
    if form.is_valid():
        try:
            income_record(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(request, _("The income was recorded."))
            return redirect(
                "programs:participant_detail", code=enrollment.program.code, pk=enrollment.pk
            )
    return _participant_page(request, enrollment, income_form=form, status=400)


@require_GET
@never_cache
@role_required(*PROGRAM_READERS)
def participants_export(request: HttpRequest, code: str) -> HttpResponse:
    """The participants as .xlsx; NIKs masked for roles that may not see them; logged."""
    program = readable_program(request, code)
    if not may_see_participants(request.user, program):
        raise PermissionDenied
    full = sees_personal_data(request.user)
    stream, rows = write_participants(program, full_data=full)
    export_log_record(
        user=request.user,
        what="participants",
        filters={"program": program.code, "full_nik": full},
        rows=rows,
        file_format="xlsx",
    )
    # Translators: the name of the downloaded file; keep it free of spaces.
    filename = _("participants-%(code)s-%(date)s.xlsx") % {
        "code": program.code,
        "date": f"{timezone.localdate():%Y-%m-%d}",
    }
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX)
