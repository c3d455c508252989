"""Partners, the joint commitments they sign, what each pledged, and what arrived."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from households.models import Area
from programs.models import Enrollment, Program
from tkpk.documents.evidence import EvidenceFile
from tkpk.models import ConstraintsOnFields
from tkpk.validators import FIRST_YEAR, LAST_YEAR, validate_more_than_zero

RUPIAH = "Rp"


def quantity_plain(value: Decimal | None) -> Decimal | None:
    """A quantity without the decimals it does not need, as it is read and typed:
    1500000 rather than 1500000.00, 2.5 rather than 2.50."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def quantity_written(value: Decimal | int | None, unit: str = "") -> str:
    """A pledged or delivered quantity as people read it: "Rp 1.500.000", "2,5 ton"."""
    if value is None:
        return "—"
    number = number_format(quantity_plain(Decimal(value)), use_l10n=True, force_grouping=True)
    return f"{RUPIAH} {number}" if unit == RUPIAH else f"{number} {unit}".strip()


class PartnerKind(models.TextChoices):
    COMPANY = "company", _("Private company (CSR)")
    BUMN = "bumn", _("BUMN (state-owned enterprise)")
    BUMD = "bumd", _("BUMD (regional enterprise)")
    BUMDES = "bumdes", _("BUMDes (village enterprise)")
    BAZNAS = "baznas", "Baznas"
    COMMUNITY = "community", _("NGO or religious organisation")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


class PartnerQuerySet(models.QuerySet):
    def active(self) -> "PartnerQuerySet":
        return self.filter(is_active=True)

    def committed_in(self, year: int) -> "PartnerQuerySet":
        """Partners that signed a commitment whose period touches the calendar year `year`."""
        return self.filter(pk__in=Commitment.objects.in_year(year).values("partners"))


class Partner(ConstraintsOnFields, models.Model):
    """A company, state or village enterprise, Baznas, NGO or university that gives."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=PartnerKind.choices)
    sector = models.CharField(
        _("sector"), max_length=100, blank=True, help_text=_("For example mining, banking.")
    )
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("district or village where it operates"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        limit_choices_to={"level__in": (3, 4)},
    )
    is_active = models.BooleanField(_("active"), default=True)
    in_csr_forum = models.BooleanField(_("member of the regional CSR forum"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerQuerySet.as_manager()
    constraint_fields = {"partner_name_unique_any_case": "name"}

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            # "PT Sebuku" and "pt sebuku" are one partner: it must be counted once.
            models.UniqueConstraint(
                Lower("name"),
                name="partner_name_unique_any_case",
                violation_error_code="partner_name_unique_any_case",
                violation_error_message=_("Another partner already has this name; check the list."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # "PT  Arutmin " is "PT Arutmin": spaces must not make a second partner of one.
        self.name = " ".join(self.name.split())


class PartnerTarget(models.Model):
    """How many partners the region wants with an active commitment in a year (e.g. 50)."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    partners = models.PositiveIntegerField(
        _("partners with an active commitment"), validators=[MinValueValidator(1)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("partner target")
        verbose_name_plural = _("partner targets")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.partners}"


class CommitmentQuerySet(models.QuerySet):
    def in_year(self, year: int) -> "CommitmentQuerySet":
        """Commitments whose period touches the calendar year `year`."""
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)

    def signed_by(self, partner_id: int) -> "CommitmentQuerySet":
        return self.filter(partners=partner_id).distinct()


def commitment_document_path(commitment: "Commitment", filename: str) -> str:
    return f"partners/commitments/{filename}"


class Commitment(ConstraintsOnFields, models.Model):
    """A joint commitment (komitmen bersama): signed once, by one partner or many."""

    title = models.CharField(_("title"), max_length=250)
    partners = models.ManyToManyField(
        Partner, verbose_name=_("signing partners"), related_name="commitments"
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("Empty for a general commitment to poverty reduction."),
    )
    signed_on = models.DateField(_("signed on"))
    start_date = models.DateField(_("start of the period"))
    end_date = models.DateField(_("end of the period"))
    document = models.FileField(
        _("signed document"), upload_to=commitment_document_path, blank=True, max_length=200
    )
    document_name = models.CharField(_("document file name"), max_length=200, blank=True)
    government_signatories = models.TextField(
        _("government signatories"),
        blank=True,
        help_text=_("One per line, for example “Wakil Bupati Kotabaru”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommitmentQuerySet.as_manager()
    constraint_fields = {
        "commitment_ends_after_start": "end_date",
        "commitment_signed_before_end": "signed_on",
    }

    class Meta:
        verbose_name = _("joint commitment")
        verbose_name_plural = _("joint commitments")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="commitment_ends_after_start",
                violation_error_code="commitment_ends_after_start",
                violation_error_message=_("The end of the period must not be before its start."),
            ),
            models.CheckConstraint(
                condition=models.Q(signed_on__lte=models.F("end_date")),
                name="commitment_signed_before_end",
                violation_error_code="commitment_signed_before_end",
                violation_error_message=_(
                    "The signing date must not be after the end of the period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PledgeKind(models.TextChoices):
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    JOBS = "jobs", _("Jobs")
    TRAINING = "training", _("Training places")
    CAPITAL = "capital", _("Business capital")
    OTHER = "other", _("Other")

    @classmethod
    def places(cls) -> tuple[str, ...]:
        """Kinds counted in places for people: whole numbers, and their realisations may
        name the program participants who received them."""
        return (cls.JOBS, cls.TRAINING)

    @classmethod
    def default_unit(cls, kind: str) -> str:
        """The unit a pledge of `kind` is counted in, when its kind decides it."""
        people = pgettext_lazy("unit of a pledge", "people")
        return {cls.MONEY: RUPIAH, cls.JOBS: people, cls.TRAINING: people}.get(kind, "")


def _whole_refusal(kind: str, quantity: Decimal | None) -> dict:
    """{"quantity": why} when places for people are given in fractions, else {}."""
    if quantity is None or kind not in PledgeKind.places():
        return {}
    if quantity == quantity.to_integral_value():
        return {}
    return {"quantity": _("Jobs and training places are counted whole: write a whole number.")}


class Pledge(models.Model):
    """One line of a commitment: what one of its signing partners promised."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="pledges"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="pledges"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PledgeKind.choices)
    quantity = models.DecimalField(
        _("quantity"), max_digits=18, decimal_places=2, validators=[validate_more_than_zero]
    )
    unit = models.CharField(
        _("unit"), max_length=30, help_text=_("Rp for money; for example people, tonnes, units.")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    village = models.ForeignKey(
        Area,
        verbose_name=_("target village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        limit_choices_to={"level": 4},
    )

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["commitment", "partner__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="pledge_quantity_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=PledgeKind.MONEY) | models.Q(unit=RUPIAH),
                name="pledge_money_in_rupiah",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_kind_display()} {self.quantity} {self.unit}"

    def clean(self) -> None:
        if errors := _whole_refusal(self.kind, self.quantity):
            raise ValidationError(errors)

    @property
    def in_rupiah(self) -> bool:
        return self.unit == RUPIAH

    @property
    def names_participants(self) -> bool:
        return self.kind in PledgeKind.places() and self.commitment.program_id is not None


class RealisationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        """Statuses in which the partner may still change the entry."""
        return (cls.SUBMITTED, cls.RETURNED)

    @classmethod
    def reported(cls) -> tuple[str, ...]:
        """Statuses counted as reported: a returned entry counts nowhere until corrected."""
        return (cls.SUBMITTED, cls.VERIFIED)


class RealisationQuerySet(models.QuerySet):
    def verified(self) -> "RealisationQuerySet":
        return self.filter(status=RealisationStatus.VERIFIED)


class Realisation(models.Model):
    """What a partner delivered against one pledge on a day, and whether it was verified."""

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("pledge"), on_delete=models.PROTECT, related_name="realisations"
    )
    delivered_on = models.DateField(_("delivered on"))
    quantity = models.DecimalField(
        _("quantity delivered"),
        max_digits=18,
        decimal_places=2,
        validators=[validate_more_than_zero],
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RealisationStatus.choices,
        default=RealisationStatus.SUBMITTED,
    )
    review_comment = models.TextField(_("verifier's comment"), blank=True)
    # Raised by every correction, so that a verifier never verifies a version unseen.
    version = models.PositiveIntegerField(_("version"), default=1)
    participants = models.ManyToManyField(
        Enrollment,
        verbose_name=_("participants who received it"),
        blank=True,
        related_name="realisations",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = RealisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="realisation_quantity_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RealisationStatus.RETURNED)
                | ~models.Q(review_comment=""),
                name="realisation_returned_with_comment",
                violation_error_message=_("Say why the realisation is returned."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="realisation_status")]

    def __str__(self) -> str:
        return f"{self.pledge.partner} {self.delivered_on}: {self.quantity} {self.pledge.unit}"

    def clean(self) -> None:
        if self.pledge_id is None:
            return
        pledge = self.pledge
        errors = _whole_refusal(pledge.kind, self.quantity)
        commitment = pledge.commitment
        earliest = min(commitment.signed_on, commitment.start_date)
        if self.delivered_on and self.delivered_on < earliest:
            errors["delivered_on"] = _(
                "This is before the commitment was signed and began (%(date)s): "
                "it cannot be delivered under it."
            ) % {"date": date_format(earliest, "j M Y")}
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.status in RealisationStatus.editable()


def evidence_path(evidence: "Evidence", filename: str) -> str:
    return f"partners/evidence/{filename}"


class Evidence(EvidenceFile):
    """A file that shows a realisation happened: a receipt, a photo, a signed list."""

    realisation = models.ForeignKey(
        Realisation,
        verbose_name=_("realisation"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
