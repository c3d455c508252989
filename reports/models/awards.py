"""The year-end awards: the scoring method of a year, its categories and their candidates.

Agencies and partners are scored from the data (reports/awards/); what is stored here is
what people decide: the weights of a year's method, the special categories, candidates the
secretariat adds, score adjustments with their reasons, and the confirmed winners.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from programs.models import Pillar
from tkpk.models import Agency
from tkpk.validators import FIRST_YEAR, LAST_YEAR


def _weight(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MaxValueValidator(100)], help_text=_("Percent of the score.")
    )


class AwardMethod(models.Model):
    """A year's scoring weights, in percent; each side adds up to 100.

    A year without a row is scored by DEFAULT_WEIGHTS (reports.awards.scoring).
    """

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    agency_achievement = _weight(_("achievement of targets"))
    agency_absorption = _weight(_("budget absorption"))
    agency_on_time = _weight(_("quarterly reports on time"))
    agency_evidence = _weight(_("verified evidence"))
    partner_realised = _weight(_("realised against pledged"))
    partner_value = _weight(_("value realised against the largest"))
    partner_people = _weight(_("people reached"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("award scoring method")
        verbose_name_plural = _("award scoring methods")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(
                    F("agency_achievement")
                    + F("agency_absorption")
                    + F("agency_on_time")
                    + F("agency_evidence"),
                    100,
                ),
                name="award_method_agency_weights_add_up",
            ),
            models.CheckConstraint(
                condition=Exact(
                    F("partner_realised") + F("partner_value") + F("partner_people"), 100
                ),
                name="award_method_partner_weights_add_up",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class AwardCategory(models.Model):
    """One award of a year: a strategy pillar, or a special award the secretariat adds."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    pillar = models.ForeignKey(
        Pillar,
        verbose_name=_("pillar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a special award."),
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("winners confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("winners confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        ordering = ["year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="award_category_name_unique"),
            models.UniqueConstraint(
                fields=["year", "pillar"],
                condition=Q(pillar__isnull=False),
                name="award_category_pillar_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_special(self) -> bool:
        return self.pillar_id is None


class CandidateKind(models.TextChoices):
    AGENCY = "agency", _("Agency")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other (district, village, organisation)")


class AwardCandidate(models.Model):
    """A candidate the secretariat decided something about.

    Agencies and partners that qualify from the data are ranked without a row; a row holds
    a candidate added by hand (any kind, with its justification), an adjusted score with
    its reason, or a confirmed winner. An "other" candidate has no computed score: its
    score is the one the secretariat gives, with the justification as its reason.
    """

    category = models.ForeignKey(
        AwardCategory,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CandidateKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("For a district, village or organisation, e.g. Desa Tarjun."),
    )
    justification = models.TextField(_("justification"), blank=True)
    added_by_hand = models.BooleanField(_("added by the secretariat"), default=False)
    adjusted_score = models.DecimalField(
        _("adjusted score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    is_winner = models.BooleanField(_("winner"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("award candidate")
        verbose_name_plural = _("award candidates")
        ordering = ["category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="agency", agency__isnull=False, partner__isnull=True)
                | Q(kind="partner", partner__isnull=False, agency__isnull=True)
                | Q(kind="other", agency__isnull=True, partner__isnull=True)
                & ~Q(name="")
                & ~Q(justification=""),
                name="award_candidate_kind_matches",
            ),
            models.CheckConstraint(
                condition=Q(adjusted_score__isnull=True) | ~Q(adjustment_reason=""),
                name="award_candidate_adjustment_has_reason",
            ),
            models.UniqueConstraint(
                fields=["category", "agency"],
                condition=Q(agency__isnull=False),
                name="award_candidate_agency_once",
            ),
            models.UniqueConstraint(
                fields=["category", "partner"],
                condition=Q(partner__isnull=False),
                name="award_candidate_partner_once",
            ),
        ]

    def __str__(self) -> str:
        """The candidate's name as pages, tables and certificates write it: an agency's
        full name (its __str__ is its acronym), a partner's, or the name typed."""
        return self.name or (self.agency or self.partner).name
