"""Enrolment uploads: a spreadsheet of NIKs for a program, checked, then enrolled in one go."""

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models.imports import ShownProblem
from programs.models.programs import Program
from tkpk.translation import message_text


class UploadStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, not enrolled")
    ENROLL_QUEUED = "enroll_queued", _("Waiting to be enrolled")
    ENROLLING = "enrolling", _("Enrolling")
    DONE = "done", _("Enrolled")
    FAILED = "failed", _("Failed")

    @classmethod
    def queued(cls) -> tuple["UploadStatus", ...]:
        return (cls.CHECK_QUEUED, cls.ENROLL_QUEUED)

    @classmethod
    def running(cls) -> tuple["UploadStatus", ...]:
        return (*cls.queued(), cls.CHECKING, cls.ENROLLING)


# How long a queued upload waits before the page says the worker may not be running.
WORKER_PATIENCE = timedelta(seconds=20)


class EnrollmentUpload(models.Model):
    """A file of NIKs uploaded for a program: checked (a dry run), then possibly enrolled."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="uploads"
    )
    file = models.FileField(_("file"), upload_to="peserta/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.CHECK_QUEUED
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    # The `enrol --json` counts with the first problems of each kind (the error report
    # has them all), as the last run (check or enrolment) found them.
    report = models.JSONField(_("report"), default=dict, blank=True)
    error_report = models.FileField(_("error report"), upload_to="peserta/laporan/", blank=True)
    # Why it failed, as tkpk.translation.Message.as_json(): shown in any language.
    message = models.JSONField(_("message"), default=dict, blank=True)
    # The last sign of life of the check or enrolment running it (see release_stale_uploads).
    beat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("enrolment upload")
        verbose_name_plural = _("enrolment uploads")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.program.code} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in UploadStatus.running()

    @property
    def has_failed(self) -> bool:
        return self.status == UploadStatus.FAILED

    @property
    def message_text(self) -> str:
        return message_text(self.message)

    @property
    def waits_for_worker(self) -> bool:
        """Queued for a while and nobody has taken it: the worker is probably not running."""
        queued = self.status in UploadStatus.queued()
        return queued and timezone.now() - self.status_changed_at > WORKER_PATIENCE

    @property
    def percent(self) -> int:
        if not self.is_running:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @cached_property
    def summary(self) -> "UploadSummary | None":
        """What the last check or enrolment found, typed; None before the file was read."""
        return UploadSummary.from_report(self.report) if self.report else None


@dataclass(frozen=True)
class UploadSummary:
    """An upload's stored report (EnrollmentFileReport.as_dict), typed for pages."""

    rows: int
    enrolled: int
    already_enrolled: int
    rejected: int
    error_count: int
    warning_count: int
    ignored_columns: list[str]
    stored_errors: list[dict]
    stored_warnings: list[dict]

    @classmethod
    def from_report(cls, report: dict) -> "UploadSummary":
        return cls(
            rows=report.get("rows", 0),
            enrolled=report.get("enrolled", 0),
            already_enrolled=report.get("already_enrolled", 0),
            rejected=report.get("rejected", 0),
            error_count=report.get("error_count", 0),
            warning_count=report.get("warning_count", 0),
            ignored_columns=report.get("ignored_columns", []),
            stored_errors=report.get("errors", []),
            stored_warnings=report.get("warnings", []),
        )

    def errors(self, limit: int) -> list[ShownProblem]:
        return _shown(self.stored_errors[:limit])

    def warnings(self, limit: int) -> list[ShownProblem]:
        return _shown(self.stored_warnings[:limit])


def _shown(problems: list[dict]) -> list[ShownProblem]:
    """Problems in the reader's language."""
    return [
        ShownProblem(p["row"], p["column"], message_text(p.get("i18n") or p["message"]))
        for p in problems
    ]
