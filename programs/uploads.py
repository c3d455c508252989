"""The life of an enrolment upload: uploaded, checked in the background, then enrolled.

The page and the background tasks go through these functions; both runs call
`program_enroll_file`, the check as a dry run that also writes the error report.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from households.dtsen.report import write_error_report
from programs.enrollment_files import (
    EnrollmentFileError,
    EnrollmentFileReport,
    program_enroll_file,
)
from programs.models import EnrollmentUpload, Program, UploadStatus
from programs.services import may_manage
from tkpk.models import User
from tkpk.translation import Message

_ = Message  # msgids for makemessages; made in the language active at the time


def enrollment_upload_create(*, program: Program, uploaded_file, by: User) -> EnrollmentUpload:
    """Keep an uploaded file of NIKs and queue its check."""
    from programs.tasks import check_enrollment_upload_task

    if not may_manage(by, program):
        raise PermissionDenied
    upload = EnrollmentUpload(
        program=program,
        file_name=Path(uploaded_file.name).name[:255],
        created_by=by,
        status=UploadStatus.CHECK_QUEUED,
    )
    upload.file.save(upload.file_name, uploaded_file, save=False)
    upload.save()
    transaction.on_commit(lambda: check_enrollment_upload_task.enqueue(upload.pk))
    return upload


def enrollment_upload_start(*, upload: EnrollmentUpload, by: User) -> None:
    """Queue the enrolment of a checked file."""
    from programs.tasks import enroll_upload_task

    if not may_manage(by, upload.program):
        raise PermissionDenied
    queued = EnrollmentUpload.objects.filter(pk=upload.pk, status=UploadStatus.CHECKED).update(
        status=UploadStatus.ENROLL_QUEUED,
        enrolled_by=by,
        status_changed_at=timezone.now(),
        rows_done=0,
    )
    if not queued:
        raise ValidationError(_("Only a checked file that was not enrolled can be enrolled."))
    transaction.on_commit(lambda: enroll_upload_task.enqueue(upload.pk))


def enrollment_upload_check(*, upload_id: int) -> None:
    """The background check: a dry run that keeps the summary and writes the error report."""
    upload = _claim(upload_id, UploadStatus.CHECK_QUEUED, UploadStatus.CHECKING)
    if upload is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        report = _run(upload, by=upload.created_by, dry_run=True)
        if report is None:
            return
        report_name = ""
        if report.errors or report.warnings:
            with tempfile.TemporaryFile() as stream:
                write_error_report(report, stream)
                stream.seek(0)
                report_name = upload.error_report.storage.save(
                    f"peserta/laporan/peserta-{upload.pk}-galat.xlsx", File(stream)
                )
        report.workdir.cleanup()
        EnrollmentUpload.objects.filter(pk=upload.pk).update(
            **_finished(report, UploadStatus.CHECKED), error_report=report_name
        )


def enrollment_upload_run(*, upload_id: int) -> None:
    """The background enrolment of a checked file: read and checked again, then written."""
    upload = _claim(upload_id, UploadStatus.ENROLL_QUEUED, UploadStatus.ENROLLING)
    if upload is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        report = _run(upload, by=upload.enrolled_by, dry_run=False)
        if report is None:
            return
        report.workdir.cleanup()
        if not report.enrolled:  # nothing written, so on_written did not run
            EnrollmentUpload.objects.filter(pk=upload.pk).update(
                **_finished(report, UploadStatus.DONE)
            )


def stale_after() -> timedelta:
    """How long a running upload may go without progress before it counts as interrupted:
    longer than the reader may stay silent, and than writing a large file takes."""
    return timedelta(seconds=settings.TKPK_DTSEN_READER_STALL_SECONDS + 300)


def release_stale_uploads() -> int:
    """Fail the uploads whose worker died mid-run, so that nobody waits on them forever.

    The enrolment is one transaction: a run that died wrote nothing.
    """
    stale = EnrollmentUpload.objects.filter(
        status__in=[UploadStatus.CHECKING, UploadStatus.ENROLLING],
        beat_at__lt=timezone.now() - stale_after(),
    )
    message = _(
        "The work was interrupted (the background worker stopped); nobody was enrolled. "
        "Upload the file again."
    )
    return stale.update(
        status=UploadStatus.FAILED, status_changed_at=timezone.now(), message=message.as_json()
    )


def _claim(upload_id: int, queued: str, working: str) -> EnrollmentUpload | None:
    now = timezone.now()
    claimed = EnrollmentUpload.objects.filter(pk=upload_id, status=queued).update(
        status=working, status_changed_at=now, beat_at=now
    )
    if not claimed:
        return None
    return EnrollmentUpload.objects.select_related("program").get(pk=upload_id)


def _run(upload: EnrollmentUpload, *, by: User, dry_run: bool) -> EnrollmentFileReport | None:
    """program_enroll_file for the upload; None when it failed, which the upload then says."""
    pk = upload.pk

    def progress(done: int, total: int) -> None:
        EnrollmentUpload.objects.filter(pk=pk).update(
            rows_done=done, rows_total=total, beat_at=timezone.now()
        )

    def written(report: EnrollmentFileReport) -> None:
        EnrollmentUpload.objects.filter(pk=pk).update(**_finished(report, UploadStatus.DONE))

    try:
        return program_enroll_file(
            program=upload.program,
            path=Path(upload.file.path),
            by=by,
            dry_run=dry_run,
            progress=progress,
            on_written=written,
        )
    except EnrollmentFileError as error:
        _fail(pk, error.args[0])
    except PermissionDenied:
        _fail(pk, _("You may no longer enrol participants in this program."))
    except OSError:
        _fail(pk, _("The uploaded file is no longer on the server. Upload it again."))
    except Exception:
        _fail(pk, _("The work stopped on an unexpected error; nobody was enrolled. Try again."))
        raise
    return None


def _finished(report: EnrollmentFileReport, status: str) -> dict:
    return {
        "status": status,
        "status_changed_at": timezone.now(),
        "report": report.as_dict(),
        "rows_done": report.rows,
        "rows_total": report.rows,
        "message": {},
    }


def _fail(pk: int, message: str) -> None:
    as_json = message.as_json() if isinstance(message, Message) else {"text": str(message)}
    EnrollmentUpload.objects.filter(pk=pk).update(
        status=UploadStatus.FAILED, status_changed_at=timezone.now(), message=as_json
    )
