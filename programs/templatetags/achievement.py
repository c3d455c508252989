"""How computed achievement reads on a page: "84 %", the standing's badge, and the rule
(programs.achievement.BEHIND_BELOW) that decides it, for the plan, progress and overview pages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from programs.achievement import BEHIND_BELOW, Standing

register = template.Library()

STANDING_CLASSES = {
    Standing.ON_TRACK: "text-bg-success",
    Standing.BEHIND: "text-bg-danger",
    Standing.NO_REPORT: "text-bg-secondary",
}


def _percent(ratio: Decimal) -> str:
    whole = (Decimal(ratio) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{number_format(whole, use_l10n=True, force_grouping=True)} %"


@register.filter
def ratio_percent(ratio: Decimal | None) -> str:
    """A ratio such as 0.84 as "84 %"; "—" when there is none (nothing was due)."""
    return "—" if ratio is None else _percent(ratio)


@register.simple_tag
def behind_below() -> str:
    """The threshold under which an activity or agency is behind, as "80 %"."""
    return _percent(BEHIND_BELOW)


@register.simple_tag
def standing_badge(standing: str) -> str:
    """The badge of a Standing: on track, behind, no report."""
    return format_html(
        '<span class="badge {}" data-testid="standing">{}</span>',
        STANDING_CLASSES.get(standing, "text-bg-secondary"),
        Standing(standing).label,
    )
