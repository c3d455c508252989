"""Poverty statistics: which areas may hold them, the plausibility rule, and saving one.

The indicators themselves (fields, ranges, plausible yearly steps) are INDICATORS in
reports/models/statistics.py; here is how each is written on a page, which areas an
installation keeps figures for (its region, the province and the province's other
regencies and cities: the ones leaders compare with), and the one rule that asks for a
second look at a figure that moves too far from the year next to it.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from households.models import Area, AreaLevel
from reports.models import INDICATORS, Indicator, PovertyStatistic
from reports.tables import Column, Kind, written
from tkpk.models import User

# The source of the demo's made-up figures, as pages show it.
DEMO_SOURCE = "Nilai contoh (demo)"


@dataclass(frozen=True)
class Presentation:
    """How an indicator is named in a sentence and in a column heading, and written."""

    short: str  # "P0", "IPM": in sentences such as a plausibility message
    heading: str  # a table's column heading, with its unit
    kind: str  # reports.tables.Kind


PRESENTATION: dict[str, Presentation] = {
    "poverty_rate": Presentation("P0", _("P0 (%)"), Kind.PERCENT),
    "poor_people": Presentation(_("number of poor people"), _("Poor people"), Kind.COUNT),
    "poverty_gap": Presentation("P1", "P1", Kind.DECIMAL),
    "poverty_severity": Presentation("P2", "P2", Kind.DECIMAL),
    "poverty_line": Presentation(_("poverty line"), _("Poverty line (Rp)"), Kind.RUPIAH),
    "extreme_poverty_rate": Presentation(
        _("extreme poverty"), _("Extreme poverty (%)"), Kind.PERCENT
    ),
    "human_development_index": Presentation(_("HDI"), _("HDI"), Kind.DECIMAL),
    "unemployment_rate": Presentation(_("open unemployment"), _("TPT (%)"), Kind.PERCENT),
    "gini_ratio": Presentation(_("Gini ratio"), _("Gini"), Kind.DECIMAL),
}
assert set(PRESENTATION) == {indicator.field for indicator in INDICATORS}  # noqa: S101

INDICATOR_BY_FIELD: dict[str, Indicator] = {indicator.field: indicator for indicator in INDICATORS}


def indicator_column(indicator: Indicator) -> Column:
    """The table column of `indicator`: its heading, and how its values are written."""
    shown = PRESENTATION[indicator.field]
    return Column(str(shown.heading), shown.kind, indicator.decimals)


def value_written(indicator: Indicator, value) -> str:
    """`value` of `indicator` as a page writes it: "5,83 %", "1.010", "Rp 550.000"."""
    return written(value, indicator_column(indicator))


# --- the areas ---------------------------------------------------------------------------


def province_code(region: str | None = None) -> str:
    return (region or settings.TKPK_REGION_CODE).split(".")[0]


def allowed_areas(region: str | None = None) -> QuerySet:
    """The areas figures are kept for: the region, its province, then the province's other
    regencies and cities by code (the order of the list page)."""
    region = region or settings.TKPK_REGION_CODE
    province = province_code(region)
    return (
        Area.objects.filter(
            Q(code=province, level=AreaLevel.PROVINCE)
            | Q(parent_id=province, level=AreaLevel.REGENCY)
        )
        .annotate(
            place=Case(
                When(code=region, then=Value(0)),
                When(code=province, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("place", "code")
    )


def area_refusal(code: str, region: str | None = None) -> str | None:
    """Why figures for the area `code` are not kept here, or None when they are."""
    region = region or settings.TKPK_REGION_CODE
    if not Area.objects.filter(code=code).exists():
        return gettext("%(code)s is not a known area code.") % {"code": code}
    if not allowed_areas(region).filter(code=code).exists():
        return gettext(
            "%(code)s is not %(region)s, its province or another regency or city of the "
            "province: figures are kept only for those."
        ) % {"code": code, "region": region}
    return None


# --- the plausibility rule -------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """An indicator that moves more than its plausible step between two adjacent years."""

    area: str  # the area's code
    indicator: Indicator
    from_year: int
    from_value: Decimal
    to_year: int
    to_value: Decimal
    row: int | None = None  # the file row that brings the new value, for a file

    @property
    def key(self) -> str:
        """What a person confirms: the area, the indicator, both years and both values."""
        return "|".join(
            (
                self.area,
                self.indicator.field,
                str(self.from_year),
                str(self.to_year),
                _plain(self.from_value),
                _plain(self.to_value),
            )
        )

    @property
    def message(self) -> str:
        """ "P0 naik dari 2,74 % (2025) ke 43,60 % (2026): lebih dari 5 poin" (in the active
        language)."""
        params = {
            "indicator": PRESENTATION[self.indicator.field].short,
            "before": value_written(self.indicator, self.from_value),
            "before_year": self.from_year,
            "after": value_written(self.indicator, self.to_value),
            "after_year": self.to_year,
            "step": _shown(self.indicator.step),
        }
        if self.to_value > self.from_value:
            text = gettext(
                "%(indicator)s rose from %(before)s (%(before_year)d) to %(after)s "
                "(%(after_year)d): more than %(step)s points"
            )
        else:
            text = gettext(
                "%(indicator)s fell from %(before)s (%(before_year)d) to %(after)s "
                "(%(after_year)d): more than %(step)s points"
            )
        return text % params


def _plain(value: Decimal) -> str:
    value = Decimal(value)
    return str(value.normalize()) if value != value.to_integral_value() else str(int(value))


def _shown(value: Decimal) -> str:
    """A step as people write it: 5; 0,1."""
    places = max(0, -Decimal(value).normalize().as_tuple().exponent)
    return written(value, Column("", Kind.DECIMAL, places))


# Values of an area's years: {year: {field: value}}.
Known = Mapping[int, Mapping[str, object]]


def stored_years(area: str, years: Iterable[int]) -> dict[int, dict[str, object]]:
    """The stored figures of `area` for `years`, as {year: {field: value}}."""
    fields = [indicator.field for indicator in INDICATORS]
    return {
        row["year"]: row
        for row in PovertyStatistic.objects.filter(area_id=area, year__in=list(years)).values(
            "year", *fields
        )
    }


def statistic_steps(
    *, area: str, year: int, values: Mapping[str, object], known: Known | None = None
) -> list[Step]:
    """The indicators of `values` (area `area`, year `year`) that move more than their
    plausible step from the same area's year before, or to the year after when there is one.

    `known` holds the other years' figures ({year: {field: value}}); by default, what is
    stored. Only adjacent years are compared: after a gap, a larger change is plausible.
    """
    if known is None:
        known = stored_years(area, (year - 1, year + 1))
    steps = []
    for indicator in INDICATORS:
        value = values.get(indicator.field)
        if indicator.step is None or value is None:
            continue
        value = Decimal(value)
        before = (known.get(year - 1) or {}).get(indicator.field)
        if before is not None and abs(value - Decimal(before)) > indicator.step:
            steps.append(Step(area, indicator, year - 1, Decimal(before), year, value))
        after = (known.get(year + 1) or {}).get(indicator.field)
        if after is not None and abs(Decimal(after) - value) > indicator.step:
            steps.append(Step(area, indicator, year, value, year + 1, Decimal(after)))
    return steps


class ImplausibleSteps(ValidationError):
    """Figures that move more than a plausible step and were not confirmed by a person."""

    def __init__(self, steps: list[Step]) -> None:
        super().__init__([step.message for step in steps], code="implausible_step")
        self.steps = steps


# --- saving ------------------------------------------------------------------------------


def statistic_save(
    *,
    area: Area | str,
    year: int,
    values: Mapping[str, object],
    source: str,
    by: User,
    confirmed: Collection[str] = (),
    is_demo: bool = False,
    region: str | None = None,
) -> PovertyStatistic:
    """Create or update the figures of one area and year; `by` is who entered them.

    `values` maps indicator fields to values; a field it leaves out keeps its stored value.
    Raises ValidationError for an area whose figures are not kept here (`region`, by
    default the installation's, decides) or a value out of range, and ImplausibleSteps
    unless every step the new values make is among the `confirmed` Step keys.
    """
    code = area.code if isinstance(area, Area) else area
    refusal = area_refusal(code, region)
    if refusal:
        raise ValidationError({"area": refusal})
    with transaction.atomic():
        statistic = (
            PovertyStatistic.objects.select_for_update().filter(area_id=code, year=year).first()
        )
        merged = {
            indicator.field: values.get(indicator.field, getattr(statistic, indicator.field, None))
            for indicator in INDICATORS
        }
        unconfirmed = [
            step
            for step in statistic_steps(area=code, year=year, values=merged)
            if step.key not in confirmed
        ]
        if unconfirmed:
            raise ImplausibleSteps(unconfirmed)
        return statistic_write(
            statistic or PovertyStatistic(area_id=code, year=year),
            values=merged,
            source=source,
            by=by,
            is_demo=is_demo,
        )


def statistic_write(
    statistic: PovertyStatistic,
    *,
    values: Mapping[str, object],
    source: str,
    by: User,
    is_demo: bool = False,
) -> PovertyStatistic:
    """Validate and save `statistic` with `values`, once its steps are judged (callers:
    statistic_save, and the file load, which judges a whole file's steps at once)."""
    for indicator in INDICATORS:
        if indicator.field in values:
            setattr(statistic, indicator.field, values[indicator.field])
    statistic.source = " ".join(str(source).split())
    statistic.is_demo = is_demo
    statistic.entered_by = by
    statistic.full_clean()
    statistic.save()
    return statistic


# --- reading ---------------------------------------------------------------------------
