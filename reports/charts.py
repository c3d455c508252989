"""Every dashboard chart, drawn on the server from its table: one definition per figure.

The dashboard page and the year-end PDF (WeasyPrint runs no JavaScript) call `chart_svg`,
the .docx `chart_png` (Word takes no SVG); both draw with the same `draw`, so the three show
the same drawing. Numbers are written the Indonesian way under the active language (1.010;
5,83 %; Rp 1,2 miliar), colours come from the Okabe–Ito palette
with hatches where series sit side by side or stack, and a highlighted row (the region among
the regencies, a late report) is drawn with an outline, a hatch and a bold label, not by
colour alone. A drawing is cached under its table's fingerprint: it is redrawn only when the
numbers change.
"""

import enum
import hashlib
import io
import itertools
import math
import re
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from reports.svg import PALETTE, figure_svg, new_figure
from reports.tables import Column, Kind, Table, written

# Bump when the drawing code changes, so cached drawings of the old look are not served.
DRAWING_VERSION = "1"
# The key changes with the data; the timeout only keeps abandoned drawings from piling up.
CACHE_SECONDS = 30 * 24 * 3600

HIGHLIGHT = PALETTE[5]  # vermillion: the row the reader looks for
# Series colours: the palette without the highlight's vermillion and the pale yellow.
SERIES_COLOURS = tuple(c for i, c in enumerate(PALETTE) if i not in (5, 6))
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--", "++")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINE_STYLES = ("-", "--", ":", "-.")
WIDTH = 6.4  # inches: the width of the dashboard's chart column and of an A4 text block
PNG_DPI = 200  # sharp on paper, and a 6.4-inch chart stays a few hundred kilobytes


class ChartKind(enum.StrEnum):
    LINE = "line"  # one line per series column over the rows (years)
    BAR = "bar"  # vertical bars, one per row
    HBAR = "hbar"  # horizontal bars, one per row, top to bottom in table order
    STACKED_HBAR = "stacked_hbar"  # the series of a row stacked into one bar
    GROUPED_BAR = "grouped_bar"  # the series of a row side by side (planned vs reached)
    MAP = "map"  # a choropleth of the rows' areas, drawn by reports/maps.py


@dataclass(frozen=True)
class Chart:
    """How a table is drawn: `x` is the column naming the rows (categories or years),
    `series` the numeric columns drawn; `highlight` is a series column drawn distinctly in a
    LINE chart (the region's own line among the regencies'); rows are highlighted by
    `Row.highlight`."""

    table: Table
    kind: ChartKind
    x: int = 0
    series: tuple[int, ...] = (1,)
    title: str | None = None
    y_label: str = ""
    highlight: int | None = None

    @property
    def label(self) -> str:
        return self.title or self.table.title

    @property
    def value_column(self) -> Column:
        return self.table.columns[self.series[0]]


def chart_svg(chart: Chart) -> str:
    """The chart as inline SVG (role="img", named by its title), cached until its data changes.

    A map is drawn by `reports.maps.choropleth_svg` and cached there: it also depends on the
    boundaries, which the table's fingerprint does not cover.
    """
    if chart.kind == ChartKind.MAP:
        from reports.maps import choropleth_svg  # imported late: maps need shapely and more

        return page_safe_svg(choropleth_svg(chart), label=chart.label)
    key = cache_key(chart)
    svg = cache.get(key)
    if svg is None:
        svg = page_safe_svg(figure_svg(draw(chart)), label=chart.label, prefix=key[-10:])
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def chart_png(chart: Chart) -> bytes:
    """The same drawing as `chart_svg`, as PNG for the .docx (Word takes no SVG); cached alike.

    A map is drawn by `reports.maps.map_png`, cached under the boundaries as its SVG is.
    """
    if chart.kind == ChartKind.MAP:
        from reports.maps import map_png  # imported late, as in chart_svg

        return map_png(chart)
    key = "png-" + cache_key(chart)
    png = cache.get(key)
    if png is None:
        png = figure_png(draw(chart))
        cache.set(key, png, CACHE_SECONDS)
    return png


def figure_png(figure: Figure) -> bytes:
    """The figure as PNG at print resolution, without the date that would change its bytes."""
    stream = io.BytesIO()
    figure.savefig(stream, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return stream.getvalue()


def cache_key(chart: Chart) -> str:
    """Made of everything the drawing depends on, the numbers and the language included."""
    parts = (
        DRAWING_VERSION,
        chart.table.fingerprint(),
        chart.kind,
        chart.x,
        chart.series,
        chart.title,
        chart.y_label,
        chart.highlight,
        get_language(),
    )
    return "chart:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def draw(chart: Chart) -> Figure:
    """The matplotlib figure of a chart (any kind but MAP)."""
    if is_empty(chart):
        return _no_data()
    drawers = {
        ChartKind.LINE: _draw_line,
        ChartKind.BAR: _draw_bars,
        ChartKind.GROUPED_BAR: _draw_bars,
        ChartKind.HBAR: _draw_hbars,
        ChartKind.STACKED_HBAR: _draw_stacked_hbars,
    }
    return drawers[chart.kind](chart)


def is_empty(chart: Chart) -> bool:
    return all(row.cells[i] is None for row in chart.table.rows for i in chart.series)


# --- numbers the Indonesian way ----------------------------------------------------------

RUPIAH_SCALES = (
    (10**12, lambda amount: gettext("Rp %(amount)s trillion") % {"amount": amount}),
    (10**9, lambda amount: gettext("Rp %(amount)s billion") % {"amount": amount}),
    (10**6, lambda amount: gettext("Rp %(amount)s million") % {"amount": amount}),
)


def short_rupiah(value) -> str:
    """A large amount as "Rp 1,2 miliar"; below a million written in full ("Rp 650.000")."""
    for scale, words in RUPIAH_SCALES:
        if abs(value) >= scale:
            return words(_trimmed(float(value) / scale, 2))
    return "Rp " + number_format(round(value), decimal_pos=0, force_grouping=True)


def _trimmed(value: float, most: int) -> str:
    """`value` with at most `most` decimals and no trailing zeros: 1,2; 1,25; 350."""
    rounded = round(value, most)
    places = next(d for d in range(most + 1) if round(rounded, d) == rounded)
    return number_format(Decimal(f"{rounded:.{places}f}"), decimal_pos=places, force_grouping=True)


def value_text(value, column: Column) -> str:
    """A value as labelled on a chart: as in the table, big rupiah amounts shortened."""
    if value is not None and column.kind == Kind.RUPIAH:
        return short_rupiah(value)
    return written(value, column)


class AxisFormatter(Formatter):
    """Tick labels of a column's kind, with as many decimals as the tick step needs."""

    def __init__(self, column: Column):
        self.column = column
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        steps = [abs(b - a) for a, b in itertools.pairwise(locs) if b != a]
        step = min(steps) if steps else 1
        self.decimals = 0 if step >= 1 else min(3, math.ceil(-math.log10(step) - 1e-9))

    def __call__(self, x, pos=None) -> str:
        kind = self.column.kind
        if kind == Kind.RUPIAH:
            return short_rupiah(x)
        if kind == Kind.COUNT:
            return number_format(round(x), decimal_pos=0, force_grouping=True)
        text = number_format(Decimal(f"{x:.{self.decimals}f}"), decimal_pos=self.decimals)
        return f"{text} %" if kind == Kind.PERCENT else text


def _format_axis(axis, column: Column) -> None:
    axis.set_major_formatter(AxisFormatter(column))
    if column.kind == Kind.COUNT:
        axis.set_major_locator(MaxNLocator(integer=True))


# --- labels and looks ------------------------------------------------------------------


def category_label(value, width: int = 24, lines: int = 2) -> str:
    """A row's name on an axis: wrapped, and cut with "…" when longer than `lines` lines.
    Numbers here are names (a year, a code), so they are not grouped: 2024, not 2.024."""
    text = str(value) if value is not None else "—"
    wrapped = textwrap.wrap(text, width) or [text]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)


def _hatch_colour(fill: str) -> str:
    """White hatching on dark fills, black on light ones, so the hatch shows in grey print."""
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * red + 0.587 * green + 0.114 * blue < 140 else "#000000"


def _series_look(index: int) -> dict:
    fill = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    return {
        "color": fill,
        "hatch": HATCHES[index % len(HATCHES)],
        "hatchcolor": _hatch_colour(fill),
        "edgecolor": "#333333",
        "linewidth": 0.5,
    }


def _emphasise_rows(labels, chart: Chart) -> None:
    for label, row in zip(labels, chart.table.rows, strict=False):
        if row.highlight:
            label.set_fontweight("bold")


def _values(chart: Chart, column: int) -> list[float]:
    return [math.nan if v is None else float(v) for v in chart.table.column_values(column)]


def _value_axis_label(chart: Chart) -> str:
    if chart.y_label or len(chart.series) > 1:
        return chart.y_label
    return chart.value_column.label


def _legend(ax, chart: Chart, count: int) -> None:
    if count > 1:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=min(count, 3), frameon=False)


def _no_data() -> Figure:
    figure = new_figure(WIDTH, 0.8)
    figure.text(0.5, 0.5, gettext("No data yet"), ha="center", va="center", fontsize=11)
    return figure


# --- the kinds -------------------------------------------------------------------------


def _draw_line(chart: Chart) -> Figure:
    table = chart.table
    many = len(chart.series) > 4
    figure = new_figure(WIDTH + (1.6 if many else 0), max(3.2, 0.8 + 0.2 * len(chart.series)))
    ax = figure.add_subplot()
    positions = range(len(table.rows))
    for n, index in enumerate(chart.series):
        look = _line_look(n, index == chart.highlight)
        label = category_label(table.columns[index].label, 28)
        ax.plot(positions, _values(chart, index), label=label, **look)
    _label_line_points(ax, chart)
    ax.set_xticks(positions, [category_label(v, 10) for v in table.column_values(chart.x)])
    _format_axis(ax.yaxis, chart.value_column)
    ax.set_ylabel(_value_axis_label(chart))
    ax.margins(x=0.06, y=0.15)
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)
    if len(chart.series) > 1:
        legend = ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
        for text, index in zip(legend.get_texts(), chart.series, strict=False):
            if index == chart.highlight:
                text.set_fontweight("bold")
    return figure


def _line_look(n: int, highlighted: bool) -> dict:
    if highlighted:
        return {"color": HIGHLIGHT, "linewidth": 2.8, "marker": "o", "markersize": 6, "zorder": 5}
    return {
        "color": SERIES_COLOURS[n % len(SERIES_COLOURS)],
        "linestyle": LINE_STYLES[(n // len(SERIES_COLOURS)) % len(LINE_STYLES)],
        "marker": MARKERS[n % len(MARKERS)],
        "linewidth": 1.4,
        "markersize": 4,
    }


def _label_line_points(ax, chart: Chart) -> None:
    """Values written at the points of the highlighted line, or of every line when few."""
    labelled = [chart.highlight] if chart.highlight is not None else chart.series
    if len(labelled) > 2:
        return
    for index in labelled:
        column = chart.table.columns[index]
        for position, value in enumerate(chart.table.column_values(index)):
            if value is not None:
                ax.annotate(
                    value_text(value, column),
                    (position, float(value)),
                    xytext=(0, 6),
                    textcoords="offset points",
                    ha="center",
                    fontsize=8,
                )


def _draw_bars(chart: Chart) -> Figure:
    """Vertical bars, the series of a row side by side."""
    table = chart.table
    figure = new_figure(WIDTH, 3.4)
    ax = figure.add_subplot()
    count, rows = len(chart.series), len(table.rows)
    width = 0.8 / count
    for n, index in enumerate(chart.series):
        positions = [i - 0.4 + width * (n + 0.5) for i in range(rows)]
        bars = ax.bar(positions, _values(chart, index), width, label=table.columns[index].label)
        _paint(bars, chart, n, count)
        if count == 1 and rows <= 24:  # side by side, the labels would collide
            _bar_values(ax, bars, chart, index)
    wrap = max(8, 72 // max(rows, 1))
    names = [category_label(v, wrap) for v in table.column_values(chart.x)]
    ax.set_xticks(
        range(rows), names, rotation=30 if rows > 8 else 0, ha="right" if rows > 8 else "center"
    )
    _emphasise_rows(ax.get_xticklabels(), chart)
    _format_axis(ax.yaxis, chart.value_column)
    ax.set_ylabel(_value_axis_label(chart))
    ax.margins(y=0.12)
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)
    _legend(ax, chart, count)
    return figure


def _hbar_figure(chart: Chart, bars_per_row: int):
    rows = len(chart.table.rows)
    height = min(16.0, max(2.0, 0.7 + 0.26 * rows * (1 + 0.5 * (bars_per_row - 1))))
    figure = new_figure(WIDTH, height)
    ax = figure.add_subplot()
    ax.invert_yaxis()  # the table's first row on top
    names = [category_label(v, 28) for v in chart.table.column_values(chart.x)]
    ax.set_yticks(range(rows), names)
    _emphasise_rows(ax.get_yticklabels(), chart)
    _format_axis(ax.xaxis, chart.value_column)
    ax.set_xlabel(_value_axis_label(chart))
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    return figure, ax


def _draw_hbars(chart: Chart) -> Figure:
    """One horizontal bar per row (the series of a row side by side when several)."""
    count = len(chart.series)
    figure, ax = _hbar_figure(chart, count)
    height = 0.8 / count
    for n, index in enumerate(chart.series):
        positions = [i - 0.4 + height * (n + 0.5) for i in range(len(chart.table.rows))]
        bars = ax.barh(
            positions, _values(chart, index), height, label=chart.table.columns[index].label
        )
        _paint(bars, chart, n, count)
        _bar_values(ax, bars, chart, index)
    ax.margins(x=0.18)
    _legend(ax, chart, count)
    return figure


def _draw_stacked_hbars(chart: Chart) -> Figure:
    """The series of a row stacked into one bar, each series with its colour and hatch;
    the row's total written at the end."""
    figure, ax = _hbar_figure(chart, 1)
    rows = len(chart.table.rows)
    left = [0.0] * rows
    for n, index in enumerate(chart.series):
        values = [0.0 if math.isnan(v) else v for v in _values(chart, index)]
        label = chart.table.columns[index].label
        ax.barh(range(rows), values, 0.7, left=left, label=label, **_series_look(n))
        left = [a + b for a, b in zip(left, values, strict=True)]
    totals = ax.barh(range(rows), left, 0.7, fill=False, edgecolor="none")
    for bar, row in zip(totals, chart.table.rows, strict=True):
        if row.highlight:
            bar.set_edgecolor("#000000")
            bar.set_linewidth(2)
    ax.bar_label(totals, labels=[value_text(t, chart.value_column) for t in left], padding=3)
    ax.margins(x=0.15)
    _legend(ax, chart, len(chart.series))
    return figure


def _paint(bars, chart: Chart, n: int, count: int) -> None:
    """Series looks; a highlighted row in vermillion (alone) or outlined (among series)."""
    for bar, row in zip(bars, chart.table.rows, strict=True):
        if count > 1:
            bar.set(**_series_look(n))
        else:
            bar.set(color=SERIES_COLOURS[0], edgecolor=SERIES_COLOURS[0])
        if row.highlight:
            if count == 1:
                bar.set(color=HIGHLIGHT, hatch="//", hatchcolor="#000000")
            bar.set(edgecolor="#000000", linewidth=1.6)


def _bar_values(ax, bars, chart: Chart, index: int) -> None:
    column = chart.table.columns[index]
    labels = [value_text(v, column) for v in chart.table.column_values(index)]
    texts = ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
    _emphasise_rows(texts, chart)


# --- the SVG as the page takes it ------------------------------------------------------

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\sid="([^"]+)"')
_REFERENCE = re.compile(r'(?:url\(#|href="#)([^)"]+)')


def page_safe_svg(svg: str, *, label: str, prefix: str = "") -> str:
    """Ready to inline in a page under our Content Security Policy and for screen readers.

    The policy refuses inline styles (style-src 'self'), so matplotlib's `style="fill: …"`
    become presentation attributes (`fill="…"`), which it allows and WeasyPrint reads too.
    Ids get `prefix` so two charts on one page do not share them. The root is named by
    `label` (aria-label and <title>); it is role="img" unless it holds links (a map).
    """
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = _STYLE_ATTRIBUTE.sub(_as_attributes, svg)
    if prefix:
        svg = _prefixed_ids(svg, f"c{prefix}-")
    return _named_root(svg, label)


def _as_attributes(match: re.Match) -> str:
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    attributes = []
    for name, value in pairs:
        name, value = name.strip(), value.strip()
        if name == "font-family" and "sans-serif" not in value:
            value += ", sans-serif"  # a reader without DejaVu Sans gets a sans, not Times
        attributes.append(f' {name}="{value}"')
    return "".join(attributes)


def _prefixed_ids(svg: str, prefix: str) -> str:
    """Ids that are referenced get `prefix`; the others (matplotlib names every group) go."""
    referenced = set(_REFERENCE.findall(svg))
    svg = _ID.sub(lambda m: f' id="{prefix}{m[1]}"' if m[1] in referenced else "", svg)
    return _REFERENCE.sub(lambda m: f"{m[0][: -len(m[1])]}{prefix}{m[1]}", svg)


def _named_root(svg: str, label: str) -> str:
    """Adds what the root lacks, so a second pass (a map made page-safe twice) changes nothing."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    root = svg[start:end]
    wanted = {
        "stroke-linejoin": "round",  # matplotlib's <style> said so for every element
        "stroke-linecap": "butt",
        "class": "img-fluid",  # shrinks with a narrow column, keeping its proportions
        "role": "group" if re.search(r"<a[\s>]", svg) else "img",  # role=img hides links
        "aria-label": escape(label),
    }
    added = "".join(
        f' {name}="{value}"' for name, value in wanted.items() if f" {name}=" not in root
    )
    rest = svg[end + 1 :]
    title = "" if rest.lstrip().startswith("<title") else f"\n <title>{escape(label)}</title>"
    return svg[:end] + added + ">" + title + rest
