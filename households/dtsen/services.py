"""The life of a DTSEN load: uploaded, checked (dry run), imported, stopped or interrupted.

The upload page, the background tasks and the `import_dtsen` command all go through
these functions. The register is held by one load at a time (a unique constraint on
`DtsenImport.holds_register`), so two imports can never write at once. A load that is
being worked on beats a heartbeat; one whose heartbeat stops (its worker was killed) is
shown as interrupted and lets go of the register.
"""

import datetime
import hashlib
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation
from django_tasks import TaskResultStatus

from households.dtsen.checking import start_reader_server
from households.dtsen.loading import WORK_FOLDER_PREFIX, LoadCancelled, LoadReport, dtsen_load
from households.dtsen.reading import DtsenFileError
from households.dtsen.report import write_error_report
from households.models import DtsenImport, ImportPhase, ImportStatus
from tkpk.signals import figures_changed
from tkpk.translation import Message

_ = Message  # msgids for makemessages; made in the language active at the time

PERIOD = re.compile(r"\d{4}-Q[1-4]")


class RegisterBusy(Exception):
    """Another load is importing into the register."""


def current_period(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def validate_period(period: str) -> str:
    period = period.strip().upper()
    if not PERIOD.fullmatch(period):
        raise ValidationError(
            _("The period must look like 2025-Q3 (year, then quarter Q1–Q4)."), code="period"
        )
    if period > current_period():
        raise ValidationError(
            _("%(period)s is still to come: the current period is %(current)s.")
            % {"period": period, "current": current_period()},
            code="period",
        )
    return period


def stored_report(report: LoadReport) -> dict:
    """The report as kept on the load: the JSON contract, with the first problems only."""
    return {
        **report.as_dict(),
        "accepted": report.accepted,
        "rejected": report.rejected,
        "header_row": report.header_row,
    }


def _message_json(message: str) -> dict:
    if isinstance(message, Message):
        return message.as_json()
    return {"text": str(message)}


def dtsen_import_create(*, uploaded_file, period: str, sheet: str = "", by) -> DtsenImport:
    """Keep an uploaded file and queue its check."""
    from households.tasks import check_dtsen_task

    dtsen_import = DtsenImport(
        file_name=Path(uploaded_file.name).name[:255],
        period=validate_period(period),
        sheet=sheet.strip(),
        created_by=by,
        status=ImportStatus.CHECK_QUEUED,
        heartbeat_at=timezone.now(),
    )
    dtsen_import.file.save(dtsen_import.file_name, uploaded_file, save=False)
    dtsen_import.save()
    transaction.on_commit(lambda: _enqueue(check_dtsen_task, dtsen_import.pk))
    return dtsen_import


def _enqueue(task, dtsen_import_id: int) -> None:
    """Queue `task` for the load, remembering its task result to close it if a worker dies."""
    result = task.enqueue(dtsen_import_id)
    DtsenImport.objects.filter(pk=dtsen_import_id).update(task_id=str(result.id))


class WorkerStopped(Exception):
    """Recorded on the task result of a load whose worker stopped beating (killed, restarted)."""


class RegisterLost(Exception):
    """The load was marked interrupted while it ran: it may no longer write."""


def _progress_updater(dtsen_import_id: int):
    def progress(phase: str, done: int, total: int) -> None:
        DtsenImport.objects.filter(pk=dtsen_import_id).update(
            phase=phase, rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )
        if DtsenImport.objects.filter(pk=dtsen_import_id, cancel_requested=True).exists():
            raise LoadCancelled

    return progress


def _may_write(dtsen_import_id: int) -> None:
    """Inside the write: lock the load; it must still hold the register and not be stopped.

    The lock keeps a stop request and release_stale_loads out until the write commits.
    """
    state = (
        DtsenImport.objects.select_for_update()
        .filter(pk=dtsen_import_id)
        .values("status", "holds_register", "cancel_requested")
        .first()
    )
    if state is None or state["status"] != ImportStatus.IMPORTING or not state["holds_register"]:
        raise RegisterLost
    if state["cancel_requested"]:
        raise LoadCancelled


def stale_after() -> timedelta:
    return timedelta(seconds=settings.TKPK_DTSEN_STALE_SECONDS)


@contextmanager
def _heartbeat(dtsen_import_id: int) -> Iterator[None]:
    """Beat the load's heartbeat from a thread of its own while the load is worked on.

    The load's own progress reports stop during long SQL statements, the write and the
    error report; this keeps saying "alive" until the worker itself dies. A failed beat
    (the database busy or restarted) drops the connection, so the next one reconnects.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.TKPK_DTSEN_STALE_SECONDS / 6):
                try:
                    DtsenImport.objects.filter(
                        pk=dtsen_import_id, status__in=ImportStatus.working()
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"dtsen-heartbeat-{dtsen_import_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finished(report: LoadReport, status: str, **fields) -> dict:
    """The fields a load ends with when its file was read."""
    return {
        "status": status,
        "report": stored_report(report),
        "phase": ImportPhase.FINISHED,
        "rows_done": report.rows,
        "rows_total": report.rows,
        "finished_at": timezone.now(),
        "message": {},
        "holds_register": None,
        **fields,
    }


def _load(dtsen_import: DtsenImport, *, path: Path, dry_run: bool) -> LoadReport:
    """dtsen_load for a DtsenImport: its progress, its stop button, its record when written."""
    pk = dtsen_import.pk

    def written(report: LoadReport) -> None:
        DtsenImport.objects.filter(pk=pk).update(**_finished(report, ImportStatus.DONE))
        figures_changed.send(sender=DtsenImport, years=None)

    return dtsen_load(
        path=path,
        period=dtsen_import.period,
        sheet=dtsen_import.sheet or None,
        dry_run=dry_run,
        dtsen_import_id=pk,
        progress=_progress_updater(pk),
        before_write=lambda: _may_write(pk),
        on_written=written,
    )


def _run(dtsen_import: DtsenImport, *, dry_run: bool) -> None:
    """Run a check or an import of `dtsen_import` and record how it ended.

    The check writes the error report; the import reads the same file again and keeps it.
    """
    pk = dtsen_import.pk
    sweep_work_folders()
    with _heartbeat(pk):
        try:
            # A worker's first load: the fork server sets Django up while this goes on (a
            # check hashes the file first); a failure to start it ends the load here.
            start_reader_server()
            if dry_run:
                _check(dtsen_import)
            else:
                _load(dtsen_import, path=Path(dtsen_import.file.path), dry_run=False)
        except DtsenFileError as error:
            _end(pk, ImportStatus.FAILED, error.args[0])
        except LoadCancelled:
            _end(pk, ImportStatus.CANCELLED, _("Stopped on request; nothing was written."))
        except RegisterLost:
            pass  # it was marked interrupted, and says so
        except Exception:
            _end(
                pk,
                ImportStatus.FAILED,
                _("The load stopped on an unexpected error; nothing was written. Try again."),
            )
            raise


def _check(dtsen_import: DtsenImport) -> None:
    """A dry run; its summary and error report appear together (the page stops polling)."""
    path = Path(dtsen_import.file.path)
    try:
        digest = file_sha256(path)
    except OSError as error:
        raise DtsenFileError(
            _("The uploaded file is no longer on the server. Upload it again.")
        ) from error
    DtsenImport.objects.filter(pk=dtsen_import.pk).update(file_sha256=digest)
    report = _load(dtsen_import, path=path, dry_run=True)
    report_name = ""
    if report.errors or report.warnings:
        with tempfile.TemporaryFile() as stream:
            write_error_report(report, stream)
            stream.seek(0)
            report_name = dtsen_import.error_report.storage.save(
                f"dtsen/laporan/dtsen-{dtsen_import.pk}-galat.xlsx", File(stream)
            )
    DtsenImport.objects.filter(pk=dtsen_import.pk, status=ImportStatus.CHECKING).update(
        **_finished(report, ImportStatus.CHECKED, error_report=report_name)
    )


def _end(pk: int, status: str, message: str) -> None:
    """End a load that is still being worked on (not one already marked interrupted)."""
    DtsenImport.objects.filter(pk=pk, status__in=ImportStatus.working()).update(
        status=status,
        message=_message_json(message),
        phase=ImportPhase.FINISHED,
        finished_at=timezone.now(),
        holds_register=None,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sweep_work_folders(older_than: timedelta = timedelta(days=1)) -> None:
    """Remove the work folders of loads whose worker died: they hold rejected rows (NIKs)."""
    cutoff = time.time() - older_than.total_seconds()
    for folder in Path(tempfile.gettempdir()).glob(f"{WORK_FOLDER_PREFIX}*"):
        with suppress(OSError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def dtsen_import_check(*, dtsen_import_id: int) -> None:
    """The background check of an uploaded file: a dry run that writes only the report."""
    claimed = DtsenImport.objects.filter(
        pk=dtsen_import_id, status=ImportStatus.CHECK_QUEUED
    ).update(status=ImportStatus.CHECKING, heartbeat_at=timezone.now())
    if not claimed:
        return  # cancelled while waiting, or already checked
    dtsen_import = DtsenImport.objects.get(pk=dtsen_import_id)
    with translation.override(settings.LANGUAGE_CODE):
        _run(dtsen_import, dry_run=True)


def release_stale_loads() -> int:
    """Mark loads whose worker stopped beating as interrupted, freeing the register.

    On PostgreSQL a load being written holds its row locked, and a dead worker's locks
    are gone: a locked row is skipped, however old its heartbeat.
    """
    with transaction.atomic():
        stale = list(
            DtsenImport.objects.select_for_update(skip_locked=True)
            .filter(
                status__in=ImportStatus.working(), heartbeat_at__lt=timezone.now() - stale_after()
            )
            .values_list("pk", "task_id")
        )
        if not stale:
            return 0
        message = _(
            "The background worker stopped during this load (it was restarted or killed); "
            "nothing was written. Upload the file again."
        )
        DtsenImport.objects.filter(pk__in=[pk for pk, _task in stale]).update(
            status=ImportStatus.INTERRUPTED,
            holds_register=None,
            phase=ImportPhase.FINISHED,
            finished_at=timezone.now(),
            message=_message_json(message),
        )
        _close_task_results([task for _pk, task in stale if task], message)
    return len(stale)


def _close_task_results(task_ids: list[str], message: str) -> None:
    """Mark the interrupted loads' task results failed: no worker will ever finish them."""
    if not task_ids or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id__in=task_ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
        traceback=str(message),
    )


def _hold_register(dtsen_import_id: int, *, status: str, **fields) -> bool:
    """Move a checked load to `status`, holding the register; False if it is not checked."""
    release_stale_loads()
    try:
        with transaction.atomic():
            return bool(
                DtsenImport.objects.filter(
                    pk=dtsen_import_id, status=ImportStatus.CHECKED, holds_register__isnull=True
                ).update(holds_register=True, status=status, heartbeat_at=timezone.now(), **fields)
            )
    except IntegrityError as error:
        busy = DtsenImport.objects.filter(holds_register=True).first()
        raise RegisterBusy(
            _(
                "Another DTSEN import is running (%(name)s, period %(period)s). Wait until it "
                "finishes, then import again."
            )
            % {"name": busy.file_name if busy else "?", "period": busy.period if busy else "?"}
        ) from error


def dtsen_import_start(*, dtsen_import: DtsenImport, by) -> None:
    """Queue the import of a checked file, taking the register (or raising RegisterBusy)."""
    from households.tasks import import_dtsen_task

    if dtsen_import.status != ImportStatus.CHECKED:
        raise ValidationError(_("Only a checked file that was not imported can be imported."))
    taken = _hold_register(
        dtsen_import.pk,
        status=ImportStatus.IMPORT_QUEUED,
        imported_by=by,
        phase=ImportPhase.WAITING,
        rows_done=0,
        cancel_requested=False,
    )
    if not taken:
        raise ValidationError(_("Only a checked file that was not imported can be imported."))
    transaction.on_commit(lambda: _enqueue(import_dtsen_task, dtsen_import.pk))


def dtsen_import_run(*, dtsen_import_id: int) -> None:
    """The background import of a load that holds the register."""
    claimed = DtsenImport.objects.filter(
        pk=dtsen_import_id, status=ImportStatus.IMPORT_QUEUED, holds_register=True
    ).update(status=ImportStatus.IMPORTING, heartbeat_at=timezone.now())
    if not claimed:
        return
    dtsen_import = DtsenImport.objects.get(pk=dtsen_import_id)
    with translation.override(settings.LANGUAGE_CODE):
        _run(dtsen_import, dry_run=False)


def dtsen_import_cancel(*, dtsen_import: DtsenImport) -> bool:
    """Ask a running check or import to stop; a queued one stops at once."""
    stopped_waiting = DtsenImport.objects.filter(
        pk=dtsen_import.pk,
        status__in=ImportStatus.queued(),
    ).update(
        status=ImportStatus.CANCELLED,
        holds_register=None,
        phase=ImportPhase.FINISHED,
        finished_at=timezone.now(),
        message=_message_json(_("Stopped on request; nothing was written.")),
    )
    if stopped_waiting:
        return True
    # Once the rows are read, comparing and writing are a few SQL statements: too late.
    return bool(
        DtsenImport.objects.filter(
            pk=dtsen_import.pk,
            status__in=ImportStatus.working(),
            phase__in=[ImportPhase.WAITING, ImportPhase.READING],
        ).update(cancel_requested=True)
    )


def dtsen_load_command(
    *, path: Path, period: str, sheet: str | None, dry_run: bool
) -> tuple[LoadReport, DtsenImport | None]:
    """What `import_dtsen` runs: the load in this process, kept as a snapshot unless dry."""
    period = validate_period(period)
    start_reader_server()  # it sets Django up while this records the load and hashes the file
    if dry_run:
        return dtsen_load(path=path, period=period, sheet=sheet, dry_run=True), None
    dtsen_import = DtsenImport.objects.create(
        file_name=Path(path).name[:255],
        period=period,
        sheet=sheet or "",
        status=ImportStatus.CHECKED,
        heartbeat_at=timezone.now(),
        file_sha256=file_sha256(path),
    )
    try:
        _hold_register(dtsen_import.pk, status=ImportStatus.IMPORTING)
    except RegisterBusy:
        dtsen_import.delete()
        raise
    pk = dtsen_import.pk
    try:
        with _heartbeat(pk):
            report = _load(dtsen_import, path=path, dry_run=False)
    except DtsenFileError as error:
        _end(pk, ImportStatus.FAILED, error.args[0])
        raise
    except LoadCancelled as stopped:
        message = _("Stopped on request on the DTSEN page; nothing was written.")
        _end(pk, ImportStatus.CANCELLED, message)
        raise DtsenFileError(message) from stopped
    except RegisterLost as lost:
        raise DtsenFileError(
            _("This load was marked interrupted while it ran; nothing was written.")
        ) from lost
    except BaseException:
        _end(pk, ImportStatus.FAILED, _("Stopped; nothing was written."))
        raise
    dtsen_import.refresh_from_db()
    return report, dtsen_import
