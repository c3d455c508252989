"""Who takes part in a program: enrolments, their dated history and recorded income."""

from collections import Counter

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import Area, Household, Person
from programs.models.programs import Program


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    ACTIVE = "active", _("Active")
    GRADUATED = "graduated", _("Graduated (no longer poor)")
    EXITED = "exited", _("Exited")

    @classmethod
    def holding_a_place(cls) -> tuple[str, ...]:
        """Statuses that count against a village quota: everyone but those who exited."""
        return (cls.ENROLLED, cls.ACTIVE, cls.GRADUATED)

    @classmethod
    def next_statuses(cls, status: str) -> tuple[str, ...]:
        """Where a participant may go from `status`."""
        return {
            cls.ENROLLED: (cls.ACTIVE, cls.EXITED),
            cls.ACTIVE: (cls.GRADUATED, cls.EXITED),
        }.get(status, ())


class ExitReason(models.TextChoices):
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")
    REFUSED = "refused", _("Refused")
    NOT_ELIGIBLE = "not_eligible", _("No longer eligible")
    OTHER = "other", _("Other")


class EnrollmentQuerySet(models.QuerySet):
    def holding_a_place(self) -> "EnrollmentQuerySet":
        return self.filter(status__in=EnrollmentStatus.holding_a_place())

    def places_by_village(self, program) -> Counter[str]:
        """Places taken in each village of `program`: everyone but those who exited."""
        return Counter(
            dict(
                self.holding_a_place()
                .filter(program=program)
                .values_list("village_id")
                .annotate(n=models.Count("pk"))
                .order_by()
            )
        )

    def in_year(self, year: int) -> "EnrollmentQuerySet":
        return self.filter(program__start_date__year__lte=year, program__end_date__year__gte=year)


class Enrollment(models.Model):
    """A person taking part in a program, with the household and desil they had on entry."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="enrollments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="enrollments"
    )
    # Where the person lived on entry: the quota they fill, the household they stand for.
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    village = models.ForeignKey(
        Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
    )
    enrolled_on = models.DateField(_("enrolled on"))
    status_changed_on = models.DateField(_("status since"))
    exit_reason = models.CharField(
        _("reason for exit"), max_length=15, choices=ExitReason.choices, blank=True
    )
    desil_at_enrollment = models.PositiveSmallIntegerField(
        _("desil at enrolment"), null=True, blank=True
    )
    desil_period_at_enrollment = models.CharField(
        _("DTSEN period at enrolment"), max_length=7, blank=True
    )
    override_reason = models.TextField(
        _("reason for enrolling despite the rules"),
        blank=True,
        help_text=_("Written when someone is enrolled although a rule says they are not eligible."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["program", "village", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"], name="enrollment_once_per_program"
            ),
            models.CheckConstraint(
                condition=models.Q(status=EnrollmentStatus.EXITED, exit_reason__gt="")
                | (~models.Q(status=EnrollmentStatus.EXITED) & models.Q(exit_reason="")),
                name="enrollment_exit_reason_iff_exited",
            ),
        ]
        indexes = [
            models.Index(
                fields=["program", "village", "status"], name="enrollment_program_village"
            ),
            models.Index(fields=["person", "status"], name="enrollment_person_status"),
            models.Index(fields=["household", "status"], name="enrollment_household_status"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code}: {self.person}"


class EnrollmentEvent(models.Model):
    """One step of a participant's history: the status they reached, when and by whom."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("status"), max_length=10, choices=EnrollmentStatus.choices)
    on = models.DateField(_("date"))
    exit_reason = models.CharField(
        _("reason for exit"), max_length=15, choices=ExitReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment history entry")
        verbose_name_plural = _("enrolment history")
        ordering = ["enrollment", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.status} {self.on}"


class IncomeRecord(models.Model):
    """A participant's monthly income on a date, in rupiah (empowerment programs)."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="incomes"
    )
    on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("monthly income (Rp)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        ordering = ["enrollment", "on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="income_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.on}: {self.amount}"
