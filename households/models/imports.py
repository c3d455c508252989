"""DTSEN loads: each kept as a snapshot with its file, counts, problems and progress."""

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.identity import mask
from households.models.register import Relationship, Sex
from tkpk.translation import message_text


class ImportStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, not imported")
    IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    INTERRUPTED = "interrupted", _("Interrupted")

    @classmethod
    def queued(cls) -> tuple["ImportStatus", ...]:
        """Waiting for a worker."""
        return (cls.CHECK_QUEUED, cls.IMPORT_QUEUED)

    @classmethod
    def working(cls) -> tuple["ImportStatus", ...]:
        """Being worked on: these beat the heartbeat."""
        return (cls.CHECKING, cls.IMPORTING)

    @classmethod
    def running(cls) -> tuple["ImportStatus", ...]:
        return (*cls.queued(), *cls.working())

    @classmethod
    def failed(cls) -> tuple["ImportStatus", ...]:
        """Ended on a problem (the file, or a worker that died)."""
        return (cls.FAILED, cls.INTERRUPTED)

    @classmethod
    def stopped(cls) -> tuple["ImportStatus", ...]:
        """Ended without a result: failed, or stopped on request."""
        return (*cls.failed(), cls.CANCELLED)


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
    # Why it failed or stopped, as tkpk.translation.Message.as_json(): shown in any language.
    message = models.JSONField(_("message"), default=dict, blank=True)
    # SHA-256 of the file, to tell a file identical to one already imported.
    file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # The django-tasks result of the check or import running now, closed if its worker dies.
    task_id = models.CharField(max_length=64, blank=True, editable=False)
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
        return self.status in ImportStatus.running()

    @property
    def has_failed(self) -> bool:
        return self.status in ImportStatus.failed()

    @property
    def has_stopped(self) -> bool:
        return self.status in ImportStatus.stopped()

    @property
    def message_text(self) -> str:
        return message_text(self.message)

    @cached_property
    def summary(self) -> "LoadSummary | None":
        """What the last check or import found, typed; None before the file was read."""
        return LoadSummary.from_report(self.report) if self.report else None

    def earlier_import(self) -> "DtsenImport | None":
        """The latest import of the same file, or else of the same period, before this one."""
        done = DtsenImport.objects.filter(status=ImportStatus.DONE).exclude(pk=self.pk)
        done = done.select_related("imported_by", "created_by").order_by("-finished_at")
        if self.file_sha256:
            same_file = done.filter(file_sha256=self.file_sha256).first()
            if same_file is not None:
                return same_file
        return done.filter(period=self.period).first()

    @property
    def waits_for_worker(self) -> bool:
        """Queued for a while and nobody has taken it: the worker is probably not running."""
        queued = self.status in ImportStatus.queued()
        since = self.heartbeat_at or self.created_at
        return queued and since is not None and timezone.now() - since > WORKER_PATIENCE

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.CHECKED):
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


@dataclass(frozen=True)
class Tally:
    """What a load creates, updates and leaves alone of one kind of record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @classmethod
    def from_dict(cls, data: dict | None) -> "Tally":
        data = data or {}
        return cls(data.get("created", 0), data.get("updated", 0), data.get("unchanged", 0))

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class ShownProblem:
    row: int
    column: str | None
    message: str  # in the language active when it was made into a ShownProblem


@dataclass(frozen=True)
class LoadSummary:
    """A load's stored report (households.dtsen.services.stored_report), typed for pages."""

    rows: int
    accepted: int
    rejected: int
    people: Tally
    households: Tally
    desil_records: Tally
    error_count: int
    warning_count: int
    ignored_columns: list[str]
    stored_errors: list[dict]
    stored_warnings: list[dict]

    @classmethod
    def from_report(cls, report: dict) -> "LoadSummary":
        return cls(
            rows=report.get("rows", 0),
            accepted=report.get("accepted", 0),
            rejected=report.get("rejected", 0),
            people=Tally.from_dict(report),
            households=Tally.from_dict(report.get("households")),
            desil_records=Tally.from_dict(report.get("desil_records")),
            error_count=report.get("error_count", 0),
            warning_count=report.get("warning_count", 0),
            ignored_columns=report.get("ignored_columns", []),
            stored_errors=report.get("errors", []),
            stored_warnings=report.get("warnings", []),
        )

    @property
    def changes_nothing(self) -> bool:
        """Importing would add nobody, change nothing and record no desil."""
        return not any(
            tally.created or tally.updated
            for tally in (self.people, self.households, self.desil_records)
        )

    def errors(self, limit: int) -> list[ShownProblem]:
        return _shown(self.stored_errors[:limit])

    def warnings(self, limit: int) -> list[ShownProblem]:
        return _shown(self.stored_warnings[:limit])


def _shown(problems: list[dict]) -> list[ShownProblem]:
    """Problems in the reader's language (those stored before that was kept, as they were)."""
    return [
        ShownProblem(p["row"], p["column"], message_text(p.get("i18n") or p["message"]))
        for p in problems
    ]


class PersonChange(models.Model):
    """A person a DTSEN load adds to the register or changes: the values before and after.

    Kept per load, so "what changed in 2025-Q4" can be answered later. The check lists what
    the import would do; the import replaces that list with what it did. Villages are
    codes, not foreign keys: history must not stand in the way of the area list.
    """

    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")

    dtsen_import = models.ForeignKey(
        DtsenImport,
        verbose_name=_("DTSEN load"),
        on_delete=models.CASCADE,
        related_name="changes",
        db_index=False,  # person_change_by_load starts with the load
        # A load lists a million changes in one statement, after locking its own row:
        # checking that row a million times doubled the time of the list. Deleting a
        # load deletes its list (CASCADE, done by Django).
        db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    row = models.PositiveIntegerField(_("row"))
    nik = models.CharField(_("NIK"), max_length=16)
    no_kk = models.CharField(_("No. KK"), max_length=16)
    old_no_kk = models.CharField(_("No. KK before"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=150)
    old_name = models.CharField(_("name before"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True, choices=Sex.choices)
    old_sex = models.CharField(_("sex before"), max_length=1, blank=True, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    old_birth_date = models.DateField(_("birth date before"), null=True, blank=True)
    relationship = models.PositiveSmallIntegerField(
        _("relationship"), null=True, blank=True, choices=Relationship.choices
    )
    old_relationship = models.PositiveSmallIntegerField(
        _("relationship before"), null=True, blank=True, choices=Relationship.choices
    )
    village = models.CharField(_("village"), max_length=13)
    old_village = models.CharField(_("village before"), max_length=13, blank=True)
    desil = models.PositiveSmallIntegerField(_("national desil"), null=True, blank=True)
    old_desil = models.PositiveSmallIntegerField(_("national desil before"), null=True, blank=True)

    class Meta:
        verbose_name = _("person change")
        verbose_name_plural = _("person changes")
        ordering = ["dtsen_import", "row"]
        indexes = [
            models.Index(fields=["dtsen_import", "kind", "row"], name="person_change_by_load"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {mask(self.nik)}"

    # (label, field) of what the change list shows, old value in `old_<field>`.
    SHOWN = (
        (_("Name"), "name"),
        (_("Sex"), "sex"),
        (_("Birth date"), "birth_date"),
        (_("Relationship"), "relationship"),
        (_("Household (No. KK)"), "no_kk"),
        (_("Village"), "village"),
        (_("National desil"), "desil"),
    )

    def differences(self) -> list[tuple[str, str, object, object]]:
        """(label, field, old, new) for each shown field that differs; none for a new person."""
        if self.kind == self.Kind.ADDED:
            return []
        found = []
        for label, name in self.SHOWN:
            old, new = getattr(self, f"old_{name}"), getattr(self, name)
            if old != new:
                found.append((label, name, old, new))
        return found
