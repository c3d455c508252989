"""Agency action plans (Rencana Aksi Tahunan), their activities and quarterly progress.

An agency keeps one plan per year. Its operators edit it while it is a draft or returned
and submit it; the secretariat verifies it or returns it with a comment. A verified plan
changes only through a revision, which goes through the same steps while the verified
version stays readable (ActionPlan.verified_version). Progress is reported per quarter in
a QuarterReport holding one Progress per activity, reviewed the same way.

Every write raises a `version` counter: a save carries the version its author read, and
a save based on an older one is refused (programs.plan_services), never silently merged.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import Area
from programs.models.programs import FundingSource, Pillar, Program
from tkpk.documents.evidence import EvidenceFile
from tkpk.models import Agency
from tkpk.validators import FIRST_YEAR, LAST_YEAR, validate_more_than_zero

QUARTERS = (1, 2, 3, 4)


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, quarter * 3 - 2, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    after = datetime.date(year + 1, 1, 1) if quarter == 4 else quarter_start(year, quarter + 1)
    return after - datetime.timedelta(days=1)


class ReviewStatus(models.TextChoices):
    """Where a plan or a quarter's report stands in the secretariat's review."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        """Statuses in which the agency may still change it."""
        return (cls.DRAFT, cls.RETURNED)

    @classmethod
    def reported(cls) -> tuple[str, ...]:
        """Statuses in which a quarter's report counts: sent, whether verified or not yet."""
        return (cls.SUBMITTED, cls.VERIFIED)


class BudgetTag(models.TextChoices):
    """The Ministry of Finance's tagging of spending against extreme poverty."""

    DIRECT = "direct", _("Direct")
    INDIRECT = "indirect", _("Indirect")
    SUPPORTING = "supporting", _("Supporting")
    NONE = "none", _("Not tagged")


class TargetGroup(models.TextChoices):
    PRODUCTIVE = "productive", _("Productive poor")
    NON_PRODUCTIVE = "non_productive", _("Non-productive poor")
    ALL = "all", _("All poor")


def _year_validators():
    return [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


class ActionPlanQuerySet(models.QuerySet):
    def in_year(self, year: int) -> "ActionPlanQuerySet":
        return self.filter(year=year)


class ActionPlan(models.Model):
    """One agency's annual action plan (RAT) for one year."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=_year_validators())
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    # 0 for the first plan; each revision of a verified plan adds one.
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The last verified version as it was verified: its activities, who verified it, when.
    verified_version = models.JSONField(_("verified version"), null=True, blank=True)
    # Reports are due no earlier than some days after this (report_due_on).
    first_verified_on = models.DateField(_("first verified on"), null=True, blank=True)
    review_comment = models.TextField(_("verifier's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-year", "agency__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                name="action_plan_one_per_agency_year",
                violation_error_message=_("This agency already has an action plan for that year."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReviewStatus.RETURNED) | ~models.Q(review_comment=""),
                name="action_plan_returned_with_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in ReviewStatus.editable()

    @property
    def was_verified(self) -> bool:
        """Whether some version of it was verified: only then is progress reported."""
        return self.verified_version is not None


class Activity(models.Model):
    """One activity of a plan: what the agency will do, measured how, with what money."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("activity"), max_length=300)
    sub_activity_code = models.CharField(
        _("sub-activity code"),
        max_length=40,
        blank=True,
        help_text=_("From the regional budget, for example 1.02.02.2.02.0001."),
    )
    pillar = models.ForeignKey(
        Pillar,
        verbose_name=_("strategy pillar"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    indicator = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("For example people, %, units."))
    target = models.DecimalField(
        _("yearly target"), max_digits=18, decimal_places=2, validators=[validate_more_than_zero]
    )
    target_q1 = models.DecimalField(_("Q1 target"), max_digits=18, decimal_places=2, default=0)
    target_q2 = models.DecimalField(_("Q2 target"), max_digits=18, decimal_places=2, default=0)
    target_q3 = models.DecimalField(_("Q3 target"), max_digits=18, decimal_places=2, default=0)
    target_q4 = models.DecimalField(_("Q4 target"), max_digits=18, decimal_places=2, default=0)
    adds_up = models.BooleanField(
        _("quarterly targets add up to the yearly target"),
        default=True,
        help_text=_(
            "Untick for an indicator that does not add up, such as a percentage: each "
            "quarter's target is then a level to reach, and the fourth is the yearly target."
        ),
    )
    budget = models.DecimalField(_("budget (Rp)"), max_digits=18, decimal_places=0, default=0)
    funding_source = models.CharField(
        _("funding source"),
        max_length=10,
        choices=FundingSource.choices,
        default=FundingSource.APBD,
    )
    budget_tag = models.CharField(
        _("extreme poverty budget tag"),
        max_length=10,
        choices=BudgetTag.choices,
        default=BudgetTag.NONE,
    )
    target_group = models.CharField(
        _("target group"), max_length=15, choices=TargetGroup.choices, default=TargetGroup.ALL
    )
    villages = models.ManyToManyField(
        Area,
        verbose_name=_("target villages"),
        blank=True,
        related_name="activities",
        limit_choices_to={"level": 4},
    )
    # In the plan's last verified version: only such an activity takes progress reports.
    agreed = models.BooleanField(_("in the verified plan"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "pillar__order", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__gt=0), name="activity_target_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    target_q1__gte=0, target_q2__gte=0, target_q3__gte=0, target_q4__gte=0
                ),
                name="activity_quarter_targets_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="activity_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def quarter_target(self, quarter: int) -> Decimal:
        return getattr(self, f"target_q{quarter}")

    def quarter_targets(self) -> list[Decimal]:
        return [self.quarter_target(quarter) for quarter in QUARTERS]

    def clean(self) -> None:
        targets = self.quarter_targets()
        if any(target is None or target < 0 for target in targets):
            raise ValidationError(_("A quarter's target cannot be negative."))
        if self.target is None:
            return
        if self.adds_up and sum(targets) != self.target:
            raise ValidationError(
                {
                    "target_q4": _(
                        "The quarterly targets add up to %(sum)s, not to the yearly target "
                        "%(target)s. Correct them, or untick “add up” for an indicator such "
                        "as a percentage."
                    )
                    % {"sum": _plain(sum(targets)), "target": _plain(self.target)}
                }
            )
        if not self.adds_up and self.target_q4 != self.target:
            raise ValidationError(
                {
                    "target_q4": _(
                        "For an indicator that does not add up, the fourth quarter's target is "
                        "the yearly target (%(target)s)."
                    )
                    % {"target": _plain(self.target)}
                }
            )


def _plain(value) -> str:
    from partners.models import quantity_written  # partners builds on programs

    return quantity_written(value)


class QuarterReport(models.Model):
    """An agency's progress report for one quarter of its plan's year."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # When it was first sent: whether it came after its deadline is judged by this.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    review_comment = models.TextField(_("verifier's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["plan", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="quarter_report_once"),
            models.CheckConstraint(
                condition=models.Q(quarter__range=(1, 4)), name="quarter_report_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReviewStatus.RETURNED) | ~models.Q(review_comment=""),
                name="quarter_report_returned_with_comment",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="quarter_report_status")]

    def __str__(self) -> str:
        return f"{self.plan} Q{self.quarter}"

    @property
    def is_editable(self) -> bool:
        return self.status in ReviewStatus.editable()


class Progress(models.Model):
    """What one activity achieved in one quarter: never a percentage, which is computed."""

    report = models.ForeignKey(
        QuarterReport,
        verbose_name=_("quarterly report"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="progress"
    )
    realised = models.DecimalField(
        _("realised value"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    spent = models.DecimalField(
        _("budget spent (Rp)"),
        max_digits=18,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries reached"), null=True, blank=True)
    narrative = models.TextField(_("what was done"), blank=True)
    problems = models.TextField(_("problems met"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering = ["report", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="progress_once_per_report"),
            models.CheckConstraint(
                condition=models.Q(realised__gte=0, spent__gte=0), name="progress_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} Q{self.report.quarter}"


def progress_evidence_path(evidence: "ProgressEvidence", filename: str) -> str:
    return f"programs/progress/{filename}"


class ProgressEvidence(EvidenceFile):
    """A file that shows the progress happened: a report, a photo, a list."""

    progress = models.ForeignKey(
        Progress, verbose_name=_("progress"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=progress_evidence_path, max_length=200)


class PlanAction(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    REMOVED = "removed", _("removed an activity")
    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    RETURNED = "returned", _("returned")
    REVISION_OPENED = "revision", _("opened a revision")
    REMINDED = "reminded", _("sent a reminder")


class PlanEvent(models.Model):
    """One step in the life of a plan or of one of its quarterly reports: who, when, why."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    # Empty for the plan itself; 1–4 for that quarter's report.
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=PlanAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action plan history entry")
        verbose_name_plural = _("action plan history")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["plan", "quarter", "action"], name="plan_event_lookup")]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_action_display()} {self.at:%Y-%m-%d}"


def default_deadline(year: int, quarter: int) -> datetime.date:
    """The default deadline of a quarter's report: a day of the month after the quarter."""
    month = quarter * 3 + 1
    if month > 12:
        return datetime.date(year + 1, 1, settings.TKPK_REPORT_DEADLINE_DAY)
    return datetime.date(year, month, settings.TKPK_REPORT_DEADLINE_DAY)


# The days an agency has to send a report whose deadline it could not meet: one due before
# its plan was first verified (an agency reports only on a verified plan), or one returned
# to it for a correction.
REPORT_GRACE_DAYS = 14


def report_due_on(
    deadline: datetime.date,
    first_verified_on: datetime.date | None,
    returned_on: datetime.date | None = None,
) -> datetime.date:
    """When a quarter's report is due: the quarter's deadline, or REPORT_GRACE_DAYS after its
    plan was first verified or after the report was returned, whichever is latest."""
    grace = datetime.timedelta(days=REPORT_GRACE_DAYS)
    later = [day + grace for day in (first_verified_on, returned_on) if day is not None]
    return max([deadline, *later])


def report_late(due_on: datetime.date, status: str | None, today: datetime.date) -> bool:
    """Whether a report is late: due before today and not sent (submitted or verified)."""
    return due_on < today and status not in ReviewStatus.reported()


class ReportDeadline(models.Model):
    """The secretariat's deadline for one quarter's reports of a year, where it set one."""

    year = models.PositiveSmallIntegerField(_("year"), validators=_year_validators())
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    due_on = models.DateField(_("deadline"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["-year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="report_deadline_once"),
            models.CheckConstraint(
                condition=models.Q(quarter__range=(1, 4)), name="report_deadline_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}: {self.due_on}"
