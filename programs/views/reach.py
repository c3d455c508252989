"""Who was reached twice (overlap between programs) and who was missed (exclusion).

The region-wide roles see the whole region; an agency operator sees overlap touching the
programs their agency leads or joins, and the exclusion list of those programs only.
Names are shown to every allowed role; NIK and No. KK as `sees_personal_data` decides.
"""

import tempfile

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from households.models import Area
from programs.models import Program
from programs.reach import (
    OverlapScope,
    Unit,
    excluded_households,
    excluded_per_village,
    overlap,
    overlap_rows,
    with_eligible_members,
    write_exclusion,
    write_overlap,
)
from programs.reach_forms import ExclusionFilterForm, OverlapFilterForm
from programs.services import may_see_participants
from tkpk.models import Role, User
from tkpk.permissions import REGION_READERS, role_required, sees_personal_data
from tkpk.services import export_log_record

# Not partners: overlap and exclusion lists name people of the register.
REACH_READERS = (*REGION_READERS, Role.AGENCY)
PAGE_SIZE = 50
# htmx sends this id when the district select changes: the village select is redrawn too.
DISTRICT_TRIGGER = "district-field"


def _render(request: HttpRequest, template: str, context: dict, *, status: int = 200):
    """The whole page, or for htmx only the results (and the villages of a new district)."""
    htmx = request.htmx
    if htmx and not htmx.history_restore_request:
        context["redraw_villages"] = htmx.trigger == DISTRICT_TRIGGER
        return render(request, f"{template}#results", context, status=status)
    return render(request, template, context, status=status)


def _xlsx(stream, filename: str) -> FileResponse:
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=filename)


# Overlap ---------------------------------------------------------------------------------


def _this_year_unless_asked(request: HttpRequest) -> QueryDict:
    """The filter as asked, with this year filled in, so that the year box shows it."""
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    return data


def _overlap_scope(user: User, form: OverlapFilterForm) -> OverlapScope:
    agency = None
    if user.role == Role.AGENCY:
        if user.agency_id is None:
            raise PermissionDenied
        agency = user.agency_id
    data = form.cleaned_data
    return OverlapScope(
        year=data["year"],
        pillar=data["pillar"].pk if data["pillar"] else None,
        agency=agency,
        **form.area(),
    )


@require_GET
@vary_on_headers("HX-Request")
@role_required(*REACH_READERS)
def overlap_list(request: HttpRequest) -> HttpResponse:
    """People or households reached by more than one program in a year."""
    form = OverlapFilterForm(_this_year_unless_asked(request))
    context = {"form": form, "full_data": sees_personal_data(request.user)}
    if not form.is_valid():
        return _render(request, "programs/overlap.html", context, status=400)
    scope = _overlap_scope(request.user, form)
    unit = form.cleaned_data["unit"]
    page = Paginator(overlap(scope, unit), PAGE_SIZE).get_page(request.GET.get("page"))
    other = Unit.HOUSEHOLDS if unit == Unit.PEOPLE else Unit.PEOPLE
    counts = {unit: page.paginator.count, other: overlap(scope, other).count()}
    context.update(
        scope=scope,
        unit=unit,
        page=page,
        rows=overlap_rows(scope, unit, page.object_list),
        people_count=counts[Unit.PEOPLE],
        household_count=counts[Unit.HOUSEHOLDS],
        agency_only=scope.agency is not None,
    )
    return _render(request, "programs/overlap.html", context)


@require_GET
@never_cache
@role_required(*REACH_READERS)
def overlap_export(request: HttpRequest) -> HttpResponse:
    """The overlap as .xlsx; it holds names (and NIKs for the secretariat), so it is logged."""
    form = OverlapFilterForm(_this_year_unless_asked(request))
    if not form.is_valid():
        context = {"form": form, "full_data": sees_personal_data(request.user)}
        return render(request, "programs/overlap.html", context, status=400)
    scope = _overlap_scope(request.user, form)
    unit = form.cleaned_data["unit"]
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    rows = write_overlap(scope, unit, full=sees_personal_data(request.user), stream=stream)
    export_log_record(
        user=request.user,
        what=f"overlap-{unit}",
        filters=scope.as_filters(),
        rows=rows,
        file_format="xlsx",
    )
    # Translators: the name of the downloaded file; keep it free of spaces.
    filename = _("overlap-%(unit)s-%(year)d.xlsx") % {
        "unit": slugify(unit.label),
        "year": scope.year,
    }
    return _xlsx(stream, filename)


# Exclusion -------------------------------------------------------------------------------


def _program_seen_by(user: User, code: str) -> Program:
    program = get_object_or_404(Program, code=code)
    if not may_see_participants(user, program):
        raise PermissionDenied
    return program


def _exclusion_form(request: HttpRequest, program: Program) -> ExclusionFilterForm:
    villages = None
    if program.quotas.exists():
        villages = Area.objects.filter(pk__in=program.quotas.values("village"))
    return ExclusionFilterForm(request.GET, villages=villages)


@require_GET
@vary_on_headers("HX-Request")
@role_required(*REACH_READERS)
def exclusion_list(request: HttpRequest, code: str) -> HttpResponse:
    """Eligible households of a program's villages that no program reaches, poorest first."""
    program = _program_seen_by(request.user, code)
    form = _exclusion_form(request, program)
    context = {
        "program": program,
        "form": form,
        "full_data": sees_personal_data(request.user),
        "whole_region": not program.quotas.exists(),
    }
    if not form.is_valid():
        return _render(request, "programs/exclusion.html", context, status=400)
    on = form.cleaned_data["on"]
    households = excluded_households(program, on=on, **form.area())
    per_village = excluded_per_village(program, households)
    paginator = Paginator(with_eligible_members(households, program, on=on), PAGE_SIZE)
    # Every excluded household lies in one of these villages: their sum is the count,
    # which spares the database a second pass over the region.
    paginator.count = sum(row.households for row in per_village)
    page = paginator.get_page(request.GET.get("page"))
    context.update(on=on, page=page, per_village=per_village)
    return _render(request, "programs/exclusion.html", context)


@require_GET
@never_cache
@role_required(*REACH_READERS)
def exclusion_export(request: HttpRequest, code: str) -> HttpResponse:
    """The exclusion list as .xlsx, for village heads to verify; every download is logged."""
    program = _program_seen_by(request.user, code)
    form = _exclusion_form(request, program)
    if not form.is_valid():
        context = {"program": program, "form": form, "full_data": sees_personal_data(request.user)}
        return render(request, "programs/exclusion.html", context, status=400)
    on = form.cleaned_data["on"]
    households = excluded_households(program, on=on, **form.area())
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    rows = write_exclusion(
        program, households, on=on, full=sees_personal_data(request.user), stream=stream
    )
    export_log_record(
        user=request.user,
        what="exclusion",
        filters={"program": program.code, "on": on.isoformat(), **form.area()},
        rows=rows,
        file_format="xlsx",
    )
    # Translators: the name of the downloaded file; keep it free of spaces.
    filename = _("not-reached-%(program)s.xlsx") % {"program": program.code}
    return _xlsx(stream, filename)
