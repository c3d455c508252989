"""The programs list and a program's page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from programs.models import Program
from tkpk.models import Role
from tkpk.permissions import role_required

# Partners read only the programs they are linked to, which the partners issue brings.
PROGRAM_READERS = (Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY)


@require_GET
@role_required(*PROGRAM_READERS)
def program_list(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.select_related("pillar", "lead_agency")
    return render(request, "programs/program_list.html", {"programs": programs})


@require_GET
@role_required(*PROGRAM_READERS)
def program_detail(request: HttpRequest, code: str) -> HttpResponse:
    program = get_object_or_404(Program, code=code)
    return render(request, "programs/program_detail.html", {"program": program})
