"""The year-end evaluation document: the secretariat's narrative, its builds, and what was signed.

A draft report is computed from the data each time it is built. Finalising it stores the
document's whole content (every figure, table and narrative) in `frozen`, so a final
report built again next year shows what was signed, not that year's data.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tkpk.validators import FIRST_YEAR, LAST_YEAR


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


# The narrative sections the secretariat writes, in the order the document shows them.
NARRATIVE_FIELDS = ("foreword", "introduction", "coordination", "problems", "recommendations")


class YearEndReport(models.Model):
    """The regional poverty-reduction implementation report of one year."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    foreword = models.TextField(_("foreword"), blank=True)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Legal basis, the TKPK's members and the year's meetings."),
    )
    coordination = models.TextField(_("coordination held during the year"), blank=True)
    problems = models.TextField(_("problems met"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    # Optimistic locking: two people editing the narrative never overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    # The document's content as it was signed (reports.year_end.content.Document as JSON).
    frozen = models.JSONField(_("signed content"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("year-end report")
        verbose_name_plural = _("year-end reports")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ReportStatus.DRAFT, frozen__isnull=True)
                | models.Q(
                    status=ReportStatus.FINAL, frozen__isnull=False, finalised_at__isnull=False
                ),
                name="year_end_report_final_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")

    @classmethod
    def running(cls) -> tuple[str, str]:
        return (cls.QUEUED, cls.RUNNING)


def build_path(build: "ReportBuild", filename: str) -> str:
    return f"laporan-tahunan/{build.report.year}/{filename}"


class ReportBuild(models.Model):
    """One build of a report's PDF and .docx, by the worker, with its progress."""

    report = models.ForeignKey(
        YearEndReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="builds",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    # Built from the figures frozen when the report was finalised, not from today's data.
    from_final = models.BooleanField(_("from the signed figures"), default=False)
    step = models.CharField(_("step"), max_length=200, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seconds = models.FloatField(_("seconds taken"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=build_path, max_length=200, blank=True)
    docx = models.FileField(_("Word document"), upload_to=build_path, max_length=200, blank=True)

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One build at a time per report: a second click joins the running one.
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(status__in=BuildStatus.running()),
                name="report_build_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.year} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in BuildStatus.running()

    @property
    def percent(self) -> int:
        if self.status == BuildStatus.DONE:
            return 100
        return self.steps_done * 100 // self.steps_total if self.steps_total else 0
