"""Poverty statistics as BPS publishes them, per area (regency, city or province) per year."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import Area, AreaLevel

FIRST_YEAR = 2000
LAST_YEAR = 2100


@dataclass(frozen=True)
class Indicator:
    """One published figure: its field, its range, and the largest plausible yearly step.

    A value outside [low, high] is an error. A value that moves more than `step` from the
    same area's value of the year before asks for confirmation: a press release once
    printed "43,6 persen" for a regency whose rate is a few percent (seed 000).
    """

    field: str
    low: Decimal
    high: Decimal
    step: Decimal | None
    decimals: int  # places shown and accepted


# The one list of indicators: the model's fields, the form, the spreadsheet columns and
# the plausibility check all read it.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("poverty_rate", Decimal(0), Decimal(100), Decimal(5), 2),
    Indicator("poor_people", Decimal(0), Decimal(50_000_000), None, 0),
    Indicator("poverty_gap", Decimal(0), Decimal(100), Decimal(2), 2),
    Indicator("poverty_severity", Decimal(0), Decimal(100), Decimal(1), 2),
    Indicator("poverty_line", Decimal(1), Decimal(10_000_000), None, 0),
    Indicator("extreme_poverty_rate", Decimal(0), Decimal(100), Decimal(5), 2),
    Indicator("human_development_index", Decimal(0), Decimal(100), Decimal(5), 2),
    Indicator("unemployment_rate", Decimal(0), Decimal(100), Decimal(5), 2),
    Indicator("gini_ratio", Decimal(0), Decimal(1), Decimal("0.1"), 3),
)


def _indicator(field: str) -> Indicator:
    return next(i for i in INDICATORS if i.field == field)


def _bounds(field: str) -> list:
    indicator = _indicator(field)
    return [MinValueValidator(indicator.low), MaxValueValidator(indicator.high)]


def _decimal(field: str, verbose_name, *, max_digits: int = 5, required: bool = False):
    """An indicator with decimals; only P0 is required (BPS publishes some figures later)."""
    optional = {} if required else {"null": True, "blank": True}
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=_indicator(field).decimals,
        validators=_bounds(field),
        **optional,
    )


def _whole(field: str, verbose_name):
    return models.PositiveIntegerField(
        verbose_name, null=True, blank=True, validators=_bounds(field)
    )


class PovertyStatisticQuerySet(models.QuerySet):
    def of_area(self, code: str) -> "PovertyStatisticQuerySet":
        return self.filter(area_id=code)


class PovertyStatistic(models.Model):
    """One area's published poverty figures for one year (BPS publishes each March)."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="poverty_statistics",
        limit_choices_to={"level__in": (AreaLevel.PROVINCE, AreaLevel.REGENCY)},
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    poverty_rate = _decimal("poverty_rate", _("poverty rate (P0, %)"), required=True)
    poor_people = _whole("poor_people", _("number of poor people"))
    poverty_gap = _decimal("poverty_gap", _("poverty gap index (P1)"))
    poverty_severity = _decimal("poverty_severity", _("poverty severity index (P2)"))
    poverty_line = _whole("poverty_line", _("poverty line (Rp per person per month)"))
    extreme_poverty_rate = _decimal("extreme_poverty_rate", _("extreme poverty (%)"))
    human_development_index = _decimal(
        "human_development_index", _("human development index (IPM)")
    )
    unemployment_rate = _decimal("unemployment_rate", _("open unemployment rate (TPT, %)"))
    gini_ratio = _decimal("gini_ratio", _("Gini ratio"), max_digits=4)
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_('Where the figures come from, e.g. "BPS, March 2025".'),
    )
    is_demo = models.BooleanField(
        _("demo value"),
        default=False,
        help_text=_("Made up for the demo, not published: pages label it."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = PovertyStatisticQuerySet.as_manager()

    class Meta:
        verbose_name = _("poverty statistic")
        verbose_name_plural = _("poverty statistics")
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="statistic_once_per_area_year"),
            models.CheckConstraint(
                condition=models.Q(poverty_rate__gte=0, poverty_rate__lte=100),
                name="statistic_poverty_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year}: {self.poverty_rate} %"
