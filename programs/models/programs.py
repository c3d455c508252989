"""Strategy pillars, programs, their budget lines and the quota of each target village."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Area, PersonQuerySet
from tkpk.models import Agency


class Pillar(models.Model):
    """A strategy pillar (DOMAIN.md): data, so that a region may rename or add them."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("strategy pillar")
        verbose_name_plural = _("strategy pillars")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.short_name


class ProgramKind(models.TextChoices):
    """The program types of Permendagri 53/2020."""

    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance or insurance")
    EMPOWERMENT = "empowerment", _("Empowerment and micro-business support for the productive poor")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure in poverty pockets")
    PARTNERSHIP = "partnership", _("Partnership")
    OTHER = "other", _("Other")


class ProgramStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")

    @classmethod
    def open_for_enrollment(cls) -> tuple[str, ...]:
        return (cls.PLANNED, cls.RUNNING)


class FundingSource(models.TextChoices):
    APBD = "apbd", "APBD"
    APBN = "apbn", "APBN"
    DANA_DESA = "dana_desa", _("Dana Desa")
    CSR = "csr", "CSR"
    BAZNAS = "baznas", "Baznas"
    OTHER = "other", _("Other")


def _desil_validators():
    return [MinValueValidator(1), MaxValueValidator(10)]


class ProgramQuerySet(models.QuerySet):
    def in_year(self, year: int) -> "ProgramQuerySet":
        """Programs whose period touches the calendar year `year`."""
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)

    def running_on(self, day: datetime.date) -> "ProgramQuerySet":
        """Programs running on `day`: started, not past their end (Program.runs_on)."""
        return self.filter(status=ProgramStatus.RUNNING, start_date__lte=day, end_date__gte=day)

    def led_or_joined_by(self, agency_id: int) -> "ProgramQuerySet":
        return self.filter(
            models.Q(lead_agency_id=agency_id) | models.Q(agencies=agency_id)
        ).distinct()


class Program(models.Model):
    """A poverty-reduction program of the region, with who may take part and how many."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9-]*$",
                _("Use capital letters, digits and hyphens, for example KTB-WMP-2025."),
            )
        ],
        help_text=_("A short unique code, for example KTB-WMP-2025."),
    )
    name = models.CharField(_("name"), max_length=200)
    pillar = models.ForeignKey(
        Pillar, verbose_name=_("strategy pillar"), on_delete=models.PROTECT, related_name="programs"
    )
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_programs"
    )
    agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("other agencies involved"),
        blank=True,
        related_name="joined_programs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.PLANNED
    )
    # Eligibility rules; an empty one is no limit.
    max_desil = models.PositiveSmallIntegerField(
        _("highest national desil"),
        null=True,
        blank=True,
        validators=_desil_validators(),
        help_text=_("For example 4 for desil 1–4. Empty: any desil."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    productive_age_only = models.BooleanField(_("productive age only"), default=False)
    one_per_household = models.BooleanField(
        _("at most one participant per household"), default=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="program_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_desil__isnull=True) | models.Q(max_desil__range=(1, 10)),
                name="program_max_desil_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="program_age_range_ordered",
                violation_error_message=_("The minimum age must not be above the maximum age."),
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"], name="program_status_start")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_open(self) -> bool:
        """Whether participants may still be enrolled."""
        return self.status in ProgramStatus.open_for_enrollment()

    @property
    def year(self) -> int:
        return self.start_date.year

    @property
    def years(self) -> range:
        """Every calendar year the program's period touches (October to March: two)."""
        return range(self.start_date.year, self.end_date.year + 1)

    @property
    def records_income(self) -> bool:
        """Empowerment programs follow their participants' monthly income."""
        return self.kind == ProgramKind.EMPOWERMENT

    @property
    def has_age_rules(self) -> bool:
        return self.min_age is not None or self.max_age is not None or self.productive_age_only

    def of_admitted_age(self, people: PersonQuerySet, *, on: datetime.date) -> PersonQuerySet:
        """`people` narrowed to those this program's age rules admit on `on`."""
        people = people.aged_between(self.min_age, self.max_age, on=on)
        if self.productive_age_only:
            people = people.productive_age(on=on)
        return people

    def involves(self, agency_id: int | None) -> bool:
        """Whether `agency_id` leads this program or takes part in it."""
        if agency_id is None:
            return False
        return agency_id == self.lead_agency_id or self.agencies.filter(pk=agency_id).exists()

    def runs_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == ProgramStatus.RUNNING and self.start_date <= day <= self.end_date


class BudgetLine(models.Model):
    """What a program has from one funding source, in rupiah."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    source = models.CharField(_("funding source"), max_length=10, choices=FundingSource.choices)
    amount = models.DecimalField(
        _("amount (Rp)"), max_digits=16, decimal_places=0, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["program", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "source"], name="budget_line_once_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_line_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.get_source_display()}: {self.amount}"


class VillageQuota(models.Model):
    """A target village of a program and how many participants it plans there.

    A program without any is open to the whole region, without quotas.
    """

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="quotas"
    )
    village = models.ForeignKey(
        Area,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="program_quotas",
        limit_choices_to={"level": 4},
    )
    quota = models.PositiveIntegerField(
        _("participants planned"), null=True, blank=True, help_text=_("Empty: no limit.")
    )

    class Meta:
        verbose_name = _("village quota")
        verbose_name_plural = _("village quotas")
        ordering = ["program", "village"]
        constraints = [
            models.UniqueConstraint(fields=["program", "village"], name="quota_once_per_village"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.village_id}: {self.quota}"
