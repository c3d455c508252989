"""How pledged and delivered quantities read on a page: "Rp 1.500.000", "12 orang", "2,5 ton"."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from partners.models import RUPIAH

register = template.Library()


@register.filter
def quantity(value: Decimal | int | None, unit: str = "") -> str:
    """`value` written the site's way (Indonesian: 1.500.000; 2,5), with its unit."""
    if value is None:
        return "—"
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    number = number_format(value, use_l10n=True, force_grouping=True)
    if unit == RUPIAH:
        return f"{RUPIAH} {number}"
    return f"{number} {unit}".strip()
