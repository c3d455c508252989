"""DTSEN loads in the browser: upload, watch the check, read the summary, import."""

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households.dtsen.changes import page_rows, write_changes
from households.dtsen.forms import DtsenUploadForm
from households.dtsen.services import (
    RegisterBusy,
    dtsen_import_cancel,
    dtsen_import_create,
    dtsen_import_start,
    release_stale_loads,
)
from households.models import DtsenImport, ImportStatus, PersonChange
from tkpk.permissions import MANAGERS, role_required, sees_personal_data
from tkpk.services import export_log_record

# Problems shown on the page; the rest are in the error report.
SHOWN_PROBLEMS = 50
CHANGES_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def dtsen_list(request: HttpRequest) -> HttpResponse:
    """The upload form and the history of every load."""
    form = DtsenUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        dtsen_import = dtsen_import_create(
            uploaded_file=form.cleaned_data["file"],
            period=form.cleaned_data["period"],
            sheet=form.cleaned_data["sheet"],
            by=request.user,
        )
        return redirect("households:dtsen_detail", pk=dtsen_import.pk)
    release_stale_loads()  # a load whose worker died must not look busy forever
    loads = DtsenImport.objects.select_related("created_by", "imported_by")
    page = Paginator(loads, 25).get_page(request.GET.get("page"))
    return render(request, "households/dtsen_list.html", {"form": form, "page": page})


@require_GET
@role_required(*MANAGERS)
def dtsen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One load: its progress while it runs, its summary once checked or imported."""
    release_stale_loads()
    load = get_object_or_404(DtsenImport.objects.select_related("created_by", "imported_by"), pk=pk)
    summary = load.summary
    context = {
        "load": load,
        "summary": summary,
        "errors": summary.errors(SHOWN_PROBLEMS) if summary else [],
        "warnings": summary.warnings(SHOWN_PROBLEMS) if summary else [],
        "earlier": load.earlier_import() if load.status == ImportStatus.CHECKED else None,
        "changes": _change_counts(load),
    }
    template = "households/dtsen_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


def _change_counts(load: DtsenImport) -> dict[str, int]:
    counts = dict(load.changes.values_list("kind").annotate(count=Count("pk")).order_by())
    return {kind: counts.get(kind, 0) for kind in PersonChange.Kind.values}


@require_GET
@role_required(*MANAGERS)
def dtsen_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The people a load adds or changes (or did), each changed field as before → after."""
    load = get_object_or_404(DtsenImport, pk=pk)
    kind, changes = _changes_of_kind(load, request)
    page = Paginator(changes, CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/dtsen_changes.html",
        {
            "load": load,
            "page": page,
            "rows": page_rows(list(page)),
            "kind": kind,
            "kinds": PersonChange.Kind.choices,
            "counts": _change_counts(load),
            "full_data": sees_personal_data(request.user),
        },
    )


def _changes_of_kind(load: DtsenImport, request: HttpRequest) -> tuple[str, QuerySet]:
    """The kind asked for in `?jenis=` ("" for all) and the load's changes of that kind."""
    kind = request.GET.get("jenis", "")
    changes = load.changes.order_by("row")
    if kind not in PersonChange.Kind.values:
        return "", changes
    return kind, changes.filter(kind=kind)


@require_GET
@role_required(*MANAGERS)
def dtsen_changes_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The change list as .xlsx; it holds NIKs and names, so every download is logged."""
    load = get_object_or_404(DtsenImport, pk=pk)
    kind, changes = _changes_of_kind(load, request)
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    rows = write_changes(changes, stream)
    stream.seek(0)
    export_log_record(
        user=request.user,
        what="dtsen-changes",
        filters={"dtsen_import": load.pk, "file": load.file_name, "kind": kind},
        rows=rows,
        file_format="xlsx",
    )
    return FileResponse(
        stream,
        as_attachment=True,
        filename=_("changes-%(period)s-%(load)d.xlsx") % {"period": load.period, "load": load.pk},
    )


@require_POST
@role_required(*MANAGERS)
def dtsen_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Commit a checked file into the register, in the background."""
    load = get_object_or_404(DtsenImport, pk=pk)
    try:
        dtsen_import_start(dtsen_import=load, by=request.user)
    except RegisterBusy as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("households:dtsen_detail", pk=load.pk)


@require_POST
@role_required(*MANAGERS)
def dtsen_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    load = get_object_or_404(DtsenImport, pk=pk)
    if dtsen_import_cancel(dtsen_import=load):
        messages.info(request, _("The load will stop; nothing of it is written."))
    else:
        messages.warning(
            request, _("This load can no longer be stopped: it has finished or is being written.")
        )
    return redirect("households:dtsen_detail", pk=load.pk)


@require_GET
@role_required(*MANAGERS)
def dtsen_error_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as they were, with the reason; holds personal data, so logged."""
    load = get_object_or_404(DtsenImport, pk=pk)
    if not load.error_report:
        raise Http404
    export_log_record(
        user=request.user,
        what="dtsen-error-report",
        filters={"dtsen_import": load.pk, "file": load.file_name},
        rows=load.summary.rejected + load.summary.warning_count if load.summary else 0,
        file_format="xlsx",
    )
    return FileResponse(
        load.error_report.open("rb"),
        as_attachment=True,
        filename=_("errors-%(period)s-%(load)d.xlsx") % {"period": load.period, "load": load.pk},
    )
