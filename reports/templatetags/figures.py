"""`{% figure chart %}`: a dashboard figure as a card, the chart beside its numbers.

Every chart comes with its table (for screen readers and for copying) and an .xlsx
download of the same table; `{% figure_table table %}` shows a table without a chart.
"""

from dataclasses import dataclass

from django import template
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reports.charts import Chart, chart_svg
from reports.tables import Table, written

register = template.Library()


@dataclass(frozen=True)
class ShownCell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class ShownRow:
    header: ShownCell  # the first cell, the row's name: a row header, a link when `link`
    cells: tuple[ShownCell, ...]
    link: str
    highlight: bool


@register.inclusion_tag("reports/figure.html", takes_context=True)
def figure(context, chart: Chart, level: int = 2) -> dict:
    """The chart (inline SVG), its table, its note and its download, under a heading."""
    shown = _shown(context, chart.table, level)
    shown["svg"] = mark_safe(chart_svg(chart))  # noqa: S308 -- our own drawing, texts escaped
    shown["title"] = chart.label
    return shown


@register.inclusion_tag("reports/figure.html", takes_context=True)
def figure_table(context, table: Table, level: int = 2) -> dict:
    """A table alone, as a figure's card with no chart."""
    return _shown(context, table, level)


def _shown(context, table: Table, level: int) -> dict:
    return {
        "table": table,
        "title": table.title,
        "svg": "",
        "level": level if level in (2, 3, 4) else 2,
        "headers": [(column.label, column.numeric) for column in table.columns],
        # Beyond four columns the table goes under the chart, not squeezed beside it.
        "wide": len(table.columns) > 4,
        "rows": [_shown_row(table, row) for row in table.rows],
        "highlight_label": table.extra.get("highlight_label") or gettext("this region"),
        "download_url": _download_url(context, table),
    }


def _shown_row(table: Table, row) -> ShownRow:
    cells = tuple(
        ShownCell(written(value, column), column.numeric)
        for value, column in zip(row.cells, table.columns, strict=True)
    )
    return ShownRow(header=cells[0], cells=cells[1:], link=row.link, highlight=row.highlight)


def _download_url(context, table: Table) -> str:
    """The table's .xlsx with the page's own filters (year, area) carried over."""
    try:
        url = reverse("reports:figure_download", args=[table.slug])
    except NoReverseMatch:  # the download view is not wired in this project (yet)
        return ""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    place = context.get("place")  # a dashboard page of a district or village names it
    if place is not None and not place.is_region:
        query["wilayah"] = place.area.code
    query = query.urlencode()
    return f"{url}?{query}" if query else url
