"""The register pages: households and people, masked for those who may not see NIKs."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from households.forms import HouseholdExportForm, HouseholdFilterForm
from households.models import ExportStatus, Household, Person, RegisterExport
from households.models.register import PRODUCTIVE_AGE
from households.selectors import households_filtered, households_with_summary
from households.services import register_export_start, release_stale_exports
from tkpk.permissions import MANAGERS, REGION_READERS, role_required, sees_personal_data
from tkpk.services import export_log_record

PAGE_SIZE = 50
EXPORT_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# htmx sends this id when the district select changes: the village select is redrawn too.
DISTRICT_TRIGGER = "district-field"


def _region_households():
    return Household.objects.in_area(settings.TKPK_REGION_CODE)


def _list_context(request: HttpRequest, form: HouseholdFilterForm) -> dict:
    page = None
    if form.is_valid():
        households = households_with_summary(households_filtered(**form.filters()))
        page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "form": form,
        "page": page,
        "full_data": sees_personal_data(request.user),
        "can_export": request.user.role in household_export.allowed_roles,
        "register_empty": page is not None
        and page.paginator.count == 0
        and not _region_households().exists(),
    }


@require_GET
@vary_on_headers("HX-Request")
@role_required(*REGION_READERS)
def household_list(request: HttpRequest) -> HttpResponse:
    """The register's households, filtered by area, desil and NIK, No. KK or name."""
    form = HouseholdFilterForm(request.GET, full_data=sees_personal_data(request.user))
    context = _list_context(request, form)
    htmx = request.htmx
    if htmx and not htmx.history_restore_request:
        context["redraw_villages"] = htmx.trigger == DISTRICT_TRIGGER
        return render(request, "households/household_list.html#results", context)
    return render(request, "households/household_list.html", context)


@require_GET
@role_required(*REGION_READERS)
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One household: its members, its address and its desil in every DTSEN period."""
    household = get_object_or_404(_region_households().select_related("village__parent"), pk=pk)
    today = timezone.localdate()
    members = list(
        household.members.order_by(F("relationship").asc(nulls_last=True), "birth_date", "pk")
    )
    for member in members:
        member.current_age = member.age(on=today)
    history = household.desil_history.select_related("dtsen_import").order_by("-period")
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": members,
            "history": history,
            "full_data": sees_personal_data(request.user),
        },
    )


@require_GET
@role_required(*REGION_READERS)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: identity, household and whether they are of productive age."""
    person = get_object_or_404(
        Person.objects.select_related("household__village__parent").filter(
            household__in=_region_households()
        ),
        pk=pk,
    )
    age = person.age(on=timezone.localdate())
    youngest, oldest = PRODUCTIVE_AGE
    return render(
        request,
        "households/person_detail.html",
        {
            "person": person,
            "age": age,
            "productive": None if age is None else youngest <= age <= oldest,
            "productive_age": PRODUCTIVE_AGE,
            "full_data": sees_personal_data(request.user),
        },
    )


@require_POST
@role_required(*MANAGERS)
def household_export(request: HttpRequest) -> HttpResponse:
    """Queue the export of the filtered households' people; it is built in the background."""
    form = HouseholdExportForm(request.POST)
    if not form.is_valid():
        context = _list_context(request, form)
        return render(request, "households/household_list.html", context, status=400)
    export = register_export_start(
        user=request.user, filters=form.filters(), file_format=form.cleaned_data["format"]
    )
    return redirect("households:export_detail", pk=export.pk)


@require_GET
@role_required(*MANAGERS)
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One export: its progress while it is built, then the download."""
    release_stale_exports()
    export = get_object_or_404(RegisterExport, pk=pk, user=request.user)
    template = "households/export_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"export": export})


@require_GET
@never_cache
@role_required(*MANAGERS)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file; personal data leaves here, so every download is logged."""
    export = get_object_or_404(RegisterExport, pk=pk, user=request.user, status=ExportStatus.DONE)
    export_log_record(
        user=request.user,
        what="register",
        filters=export.filters,
        rows=export.rows_total,
        file_format=export.file_format,
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"register-{timezone.localtime(export.created_at):%Y-%m-%d}.{export.file_format}",
        content_type=EXPORT_CONTENT_TYPES[export.file_format],
    )
