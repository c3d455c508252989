"""DTSEN loads: each kept as a snapshot with its file, counts, problems and progress."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, not imported")
    IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING = (
    ImportStatus.CHECK_QUEUED,
    ImportStatus.CHECKING,
    ImportStatus.IMPORT_QUEUED,
    ImportStatus.IMPORTING,
)


# How long a queued load waits before the page says the worker may not be running.
WORKER_PATIENCE = timedelta(seconds=20)


class ImportPhase(models.TextChoices):
    WAITING = "waiting", _("Waiting for the worker")
    READING = "reading", _("Reading and checking rows")
    COMPARING = "comparing", _("Comparing with the register")
    WRITING = "writing", _("Writing to the register")
    FINISHED = "finished", _("Finished")


class DtsenImport(models.Model):
    """One DTSEN file: checked (a dry run), then possibly imported into the register."""

    file = models.FileField(_("file"), upload_to="dtsen/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    period = models.CharField(_("period"), max_length=7)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when loaded with the import_dtsen command."),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECK_QUEUED
    )
    # What the last run (check or import) found: the import_dtsen --json object, with the
    # error and warning lists cut at TKPK_DTSEN_STORED_PROBLEMS; the error report has them all.
    report = models.JSONField(_("report"), default=dict, blank=True)
    error_report = models.FileField(_("error report"), upload_to="dtsen/laporan/", blank=True)
    message = models.TextField(_("message"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=ImportPhase.choices, default=ImportPhase.WAITING
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # True while this load holds the register (queued for import or importing); the
    # unique constraint lets only one load hold it, so two imports never run at once.
    holds_register = models.BooleanField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("DTSEN load")
        verbose_name_plural = _("DTSEN loads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["holds_register"], name="one_dtsen_import_at_a_time"),
            models.CheckConstraint(
                condition=models.Q(holds_register=True) | models.Q(holds_register__isnull=True),
                name="dtsen_holds_register_true_or_null",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def waits_for_worker(self) -> bool:
        """Queued for a while and nobody has taken it: the worker is probably not running."""
        queued = self.status in (ImportStatus.CHECK_QUEUED, ImportStatus.IMPORT_QUEUED)
        since = self.heartbeat_at or self.created_at
        return queued and since is not None and timezone.now() - since > WORKER_PATIENCE

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.CHECKED):
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
