"""Bulk enrolment in the browser: upload a file of NIKs, watch its check, then enrol."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.models import EnrollmentUpload, Program, UploadStatus
from programs.upload_forms import EnrollmentUploadForm
from programs.uploads import (
    enrollment_upload_create,
    enrollment_upload_start,
    release_stale_uploads,
)
from programs.views.programs import PROGRAM_EDITORS, managed_program
from tkpk.permissions import role_required
from tkpk.services import export_log_record

# Problems shown on the page; the rest are in the error report.
SHOWN_PROBLEMS = 50
HISTORY = 10


def _upload(program: Program, pk: int) -> EnrollmentUpload:
    uploads = EnrollmentUpload.objects.select_related("program", "created_by", "enrolled_by")
    return get_object_or_404(uploads, program=program, pk=pk)


@require_http_methods(["GET", "POST"])
@role_required(*PROGRAM_EDITORS)
def enrollment_upload(request: HttpRequest, code: str) -> HttpResponse:
    """The upload form for a file of NIKs, and the program's latest uploads."""
    program = managed_program(request, code)
    release_stale_uploads()  # an upload whose worker died must not look busy
    form = EnrollmentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = enrollment_upload_create(
            program=program, uploaded_file=form.cleaned_data["file"], by=request.user
        )
        return redirect("programs:enrollment_upload_detail", code=program.code, pk=upload.pk)
    uploads = program.uploads.select_related("created_by")[:HISTORY]
    return render(
        request,
        "programs/enrollment_upload.html",
        {"program": program, "form": form, "uploads": uploads},
    )


@require_GET
@role_required(*PROGRAM_EDITORS)
def enrollment_upload_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One upload: its progress while it runs, what it found once checked or enrolled."""
    program = managed_program(request, code)
    release_stale_uploads()
    upload = _upload(program, pk)
    summary = upload.summary
    context = {
        "program": program,
        "upload": upload,
        "summary": summary,
        "errors": summary.errors(SHOWN_PROBLEMS) if summary else [],
        "warnings": summary.warnings(SHOWN_PROBLEMS) if summary else [],
    }
    template = "programs/enrollment_upload_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@require_POST
@role_required(*PROGRAM_EDITORS)
def enrollment_upload_enroll(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Enrol the valid rows of a checked file, in the background."""
    program = managed_program(request, code)
    upload = _upload(program, pk)
    try:
        enrollment_upload_start(upload=upload, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("programs:enrollment_upload_detail", code=program.code, pk=upload.pk)


@require_GET
@role_required(*PROGRAM_EDITORS)
def enrollment_upload_error_report(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The rejected rows as they were, with the reasons; they hold NIKs, so it is logged."""
    program = managed_program(request, code)
    upload = _upload(program, pk)
    if not upload.error_report or upload.status == UploadStatus.FAILED:
        raise Http404
    summary = upload.summary
    export_log_record(
        user=request.user,
        what="enrollment-error-report",
        filters={"program": program.code, "upload": upload.pk, "file": upload.file_name},
        rows=summary.rejected + summary.warning_count if summary else 0,
        file_format="xlsx",
    )
    return FileResponse(
        upload.error_report.open("rb"),
        as_attachment=True,
        filename=_("errors-%(program)s-%(upload)d.xlsx")
        % {"program": program.code, "upload": upload.pk},
    )
