"""Choropleth maps drawn from a table and the stored boundaries (`import_boundaries`).

A map chart's rows name their area by `Row.key` (its code); its value is the column
`chart.series[0]`. Each area is a link to `Row.link` whose SVG <title> (the hover text and
the link's name) says "<name>: <value>", the value written as in the table. Values fall
into up to five quantile classes coloured along cividis, light for low and dark for high,
so the order reads in grey too; an area without a value is hatched light grey. The rows'
areas that have no boundary are named under the map ("Tanpa batas wilayah: …") inside the
SVG, so the page, the PDF and the .docx all say so; `missing_boundaries(chart)` gives the
same names to a caller that wants them as text.
"""

import hashlib
import math
import re
import textwrap
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from households.areas import area_level
from households.models import AreaLevel
from reports.models import Boundary
from reports.svg import SEQUENTIAL, figure_svg, new_figure
from reports.tables import Column, Kind, Row, written

# Bump when the drawing changes, so cached maps of the old look are not served.
MAP_VERSION = "1"
CACHE_SECONDS = 30 * 24 * 3600
CLASSES = 5
WIDTH = 6.4  # inches, as the other charts
LEGEND_WIDTH = 1.9  # inches the legend takes beside the map
EDGE = "#ffffff"
NO_DATA = "#ececec"
NO_DATA_EDGE = "#8c8c8c"
NO_DATA_HATCH = "////"
HIGHLIGHT_EDGE = "#000000"
# Names are written on districts and regencies only, and not when they would crowd.
LABELLED_LEVELS = (AreaLevel.REGENCY, AreaLevel.DISTRICT)
MOST_LABELS = 40
SMALLEST_LABELLED = 0.06  # of the map's larger side
MOST_MISSING_NAMED = 12


@dataclass(frozen=True)
class MapClass:
    """Values v with low <= v <= high (as written), drawn in `colour`."""

    low: Decimal
    high: Decimal
    colour: str
    label: str


def choropleth_svg(chart) -> str:
    """The chart's map as inline SVG, cached until the table or the boundaries change."""
    codes = _codes(chart)
    version = Boundary.objects.filter(area_id__in=codes).aggregate(
        changed=Max("imported_at"), count=Count("pk")
    )
    key = _cache_key(chart, version)
    svg = cache.get(key)
    if svg is None:
        svg = _page_svg(draw_map(chart), chart, prefix=key[-10:])
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def map_png(chart) -> bytes:
    """The same map as `choropleth_svg`, as PNG for the .docx; cached until the table or the
    boundaries change."""
    from reports.charts import figure_png  # charts calls us for MAP; import when drawing

    codes = _codes(chart)
    version = Boundary.objects.filter(area_id__in=codes).aggregate(
        changed=Max("imported_at"), count=Count("pk")
    )
    key = "png-" + _cache_key(chart, version)
    png = cache.get(key)
    if png is None:
        png = figure_png(draw_map(chart))
        cache.set(key, png, CACHE_SECONDS)
    return png


def missing_boundaries(chart) -> list[str]:
    """The names (first cells) of the rows whose area has no stored boundary, in table order."""
    drawn = set(Boundary.objects.filter(area_id__in=_codes(chart)).values_list("pk", flat=True))
    return [str(row.cells[0]) for row in chart.table.rows if row.key and row.key not in drawn]


def _codes(chart) -> list[str]:
    return [row.key for row in chart.table.rows if row.key]


def _cache_key(chart, version: dict) -> str:
    parts = (
        MAP_VERSION,
        chart.table.fingerprint(),
        chart.series[0],
        chart.label,
        get_language(),
        version["count"],
        version["changed"].isoformat() if version["changed"] else "",
    )
    return "map:" + hashlib.sha256(repr(parts).encode()).hexdigest()


# --- classes -----------------------------------------------------------------------------


def map_classes(values: list, column: Column, count: int = CLASSES) -> list[MapClass]:
    """Up to `count` quantile classes of the values as the column writes them.

    Bounds are values of the data, so a class never claims a range nobody is in, and the
    ranges are written the Indonesian way without overlapping: "0 – 4", "5 – 12".
    """
    written_values = sorted(_as_written(v, column) for v in values if v is not None)
    if not written_values:
        return []
    highs: list[Decimal] = []
    for i in range(1, count + 1):
        high = written_values[math.ceil(i * len(written_values) / count) - 1]
        if not highs or high > highs[-1]:
            highs.append(high)
    step = Decimal(1).scaleb(-_decimals(column))
    lows = [written_values[0], *(high + step for high in highs[:-1])]
    colours = _colours(len(highs))
    return [
        MapClass(low, high, colour, _range_text(low, high, column))
        for low, high, colour in zip(lows, highs, colours, strict=True)
    ]


def class_of(value, classes: list[MapClass], column: Column) -> MapClass | None:
    if value is None:
        return None
    value = _as_written(value, column)
    return next((c for c in classes if value <= c.high), classes[-1])


def _decimals(column: Column) -> int:
    return column.decimals if column.kind in (Kind.PERCENT, Kind.DECIMAL) else 0


def _as_written(value, column: Column) -> Decimal:
    exponent = Decimal(1).scaleb(-_decimals(column))
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def _colours(count: int) -> list[str]:
    """Light (low) to dark (high) along the sequential map; ordered in grey as well."""
    cmap = colormaps[SEQUENTIAL]
    if count == 1:
        return [to_hex(cmap(0.5))]
    return [to_hex(cmap(0.95 - 0.9 * i / (count - 1))) for i in range(count)]


def _range_text(low: Decimal, high: Decimal, column: Column) -> str:
    if low == high:
        return written(high, column)
    # "2,36 – 5,83 %": the unit once, after the range.
    low_column = Column(column.label, Kind.DECIMAL, column.decimals)
    low_text = written(low, low_column if column.kind == Kind.PERCENT else column)
    return f"{low_text} – {written(high, column)}"


# --- drawing -----------------------------------------------------------------------------


def draw_map(chart) -> Figure:
    """The matplotlib figure of a map chart; the area of table row n is the group `maparea-n`."""
    table = chart.table
    index = chart.series[0]
    column = table.columns[index]
    boundaries = {
        code: (geometry, source)
        for code, geometry, source in Boundary.objects.filter(area_id__in=_codes(chart))
        .order_by("pk")
        .values_list("pk", "geometry", "source")
    }
    drawn = [(n, row) for n, row in enumerate(table.rows) if row.key in boundaries]
    missing = [str(row.cells[0]) for row in table.rows if row.key and row.key not in boundaries]
    if not drawn:
        return _nothing_to_draw(missing)
    paths = {n: _path(boundaries[row.key][0]) for n, row in drawn}
    x_min, y_min, x_max, y_max = _extent(list(paths.values()))
    # A degree of longitude is cos(latitude) as long as one of latitude.
    stretch = 1 / math.cos(math.radians((y_min + y_max) / 2))
    height = (y_max - y_min) * stretch / (x_max - x_min) * (WIDTH - LEGEND_WIDTH)
    figure = new_figure(WIDTH, min(max(height + 0.6, 3.0), 7.0))
    ax = figure.add_subplot()
    classes = map_classes([row.cells[index] for _n, row in drawn], column)
    # Highlighted areas last, so that no neighbour covers their outline.
    for n, row in sorted(drawn, key=lambda item: item[1].highlight):
        patch = _area_patch(row, paths[n], class_of(row.cells[index], classes, column))
        patch.set_gid(f"maparea-{n}")
        # add_artist, not add_patch: the limits are set below, from all areas at once, and
        # neither that nor the layout needs to walk every outline again (half the time).
        patch.set_in_layout(False)
        ax.add_artist(patch)
    if len(drawn) <= MOST_LABELS:
        extent = max(x_max - x_min, (y_max - y_min) * stretch)
        _name_areas(ax, [row for _n, row in drawn], boundaries, extent)
    margin = max(x_max - x_min, y_max - y_min) * 0.02
    ax.set(xlim=(x_min - margin, x_max + margin), ylim=(y_min - margin, y_max + margin))
    ax.set_aspect(stretch)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    _legend(figure, classes, column, any(row.cells[index] is None for _n, row in drawn))
    sources = sorted({boundaries[row.key][1] for _n, row in drawn} - {""})
    ax.set_xlabel(_note(missing, sources), loc="left", fontsize=7.5, color="#333333")
    return figure


def _path(geometry: dict) -> Path:
    """A GeoJSON (multi)polygon as one matplotlib path; holes stay empty (non-zero rule,
    rings oriented by the import)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    vertices, codes = [], []
    for polygon in polygons:
        for ring in polygon:
            points = np.asarray(ring, dtype=float)[:, :2]
            ring_codes = np.full(len(points), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(points)
            codes.append(ring_codes)
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _extent(paths: list[Path]) -> tuple[float, float, float, float]:
    points = np.concatenate([path.vertices for path in paths])
    (x_min, y_min), (x_max, y_max) = points.min(axis=0), points.max(axis=0)
    return float(x_min), float(y_min), float(x_max), float(y_max)


def _area_patch(row: Row, path: Path, map_class: MapClass | None) -> PathPatch:
    if map_class is None:
        patch = PathPatch(
            path, facecolor=NO_DATA, edgecolor=NO_DATA_EDGE, hatch=NO_DATA_HATCH, linewidth=0.5
        )
    else:
        patch = PathPatch(path, facecolor=map_class.colour, edgecolor=EDGE, linewidth=0.6)
    if row.highlight:
        patch.set_edgecolor(HIGHLIGHT_EDGE)
        patch.set_linewidth(1.6)
    patch.set_url(row.link or None)
    patch.set_clip_on(False)  # the axes hold every area: no clip path repeated on each
    return patch


def _name_areas(ax, rows: list[Row], boundaries: dict, extent: float) -> None:
    """The name of each district or regency big enough on the map, at a point inside it."""
    from shapely.geometry import shape  # only for the labels

    smallest = extent * SMALLEST_LABELLED
    for row in rows:
        if area_level(row.key) not in LABELLED_LEVELS:
            continue
        geometry = shape(boundaries[row.key][0])
        largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
        x_min, y_min, x_max, y_max = largest.bounds
        if max(x_max - x_min, y_max - y_min) < smallest:
            continue  # a name would cover its neighbours; the hover text still names it
        point = largest.representative_point()
        ax.text(
            point.x,
            point.y,
            "\n".join(textwrap.wrap(str(row.cells[0]), 16)),
            ha="center",
            va="center",
            fontsize=6.5,
            color="#000000",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "#ffffff", "alpha": 0.8, "lw": 0},
        )


def _legend(figure: Figure, classes: list[MapClass], column: Column, has_no_data: bool) -> None:
    handles = [Patch(facecolor=c.colour, edgecolor="#666666", linewidth=0.4) for c in classes]
    labels = [c.label for c in classes]
    if has_no_data:
        handles.append(
            Patch(facecolor=NO_DATA, edgecolor=NO_DATA_EDGE, hatch=NO_DATA_HATCH, linewidth=0.4)
        )
        labels.append(gettext("No data"))
    figure.legend(
        handles,
        labels,
        title="\n".join(textwrap.wrap(column.label, 22)),
        loc="outside right center",
        frameon=False,
        fontsize=8,
        title_fontsize=8,
        alignment="left",
    )


def _note(missing: list[str], sources: list[str]) -> str:
    lines = []
    if missing:
        names = ", ".join(missing[:MOST_MISSING_NAMED])
        if len(missing) > MOST_MISSING_NAMED:
            names += " " + gettext("and %(count)d more") % {
                "count": len(missing) - MOST_MISSING_NAMED
            }
        lines.extend(
            textwrap.wrap(gettext("Without a boundary: %(areas)s") % {"areas": names}, 110)
        )
    if sources:
        lines.append(gettext("Boundaries: %(source)s") % {"source": "; ".join(sources)})
    return "\n".join(lines)


def _nothing_to_draw(missing: list[str]) -> Figure:
    figure = new_figure(WIDTH, 1.2)
    ax = figure.add_subplot()
    ax.set_axis_off()
    text = gettext("No boundaries are stored for these areas.")
    if missing:
        text += "\n" + _note(missing, [])
    ax.text(0, 0.5, text, va="center", fontsize=8.5, wrap=True)
    return figure


# --- the SVG -----------------------------------------------------------------------------


def _page_svg(figure: Figure, chart, *, prefix: str) -> str:
    """The figure's SVG with each area's hover text, ready for the page (reports.charts)."""
    from reports.charts import page_safe_svg  # charts calls us for MAP; import when drawing

    svg = figure_svg(figure)
    svg = _with_titles(svg, chart)
    # A drill-down opens in the same tab, as the table's links do.
    svg = svg.replace(' target="_blank"', "")
    # Outlines to a hundredth of a point (matplotlib writes six decimals): a third smaller.
    svg = _PATH_DATA.sub(lambda m: _DECIMALS.sub(r"\1", m[0]), svg)
    return page_safe_svg(svg, label=chart.label, prefix=prefix)


_PATH_DATA = re.compile(r' d="[^"]*"')
_DECIMALS = re.compile(r"(\.\d\d)\d+")
_AREA_GROUP = re.compile(r'<g id="maparea-(\d+)">(\s*<a [^>]*>)?')


def _with_titles(svg: str, chart) -> str:
    """Each area's <title> ("<name>: <value>") as the first child of its link (or group):
    the hover text, and the link's accessible name."""
    index = chart.series[0]
    column = chart.table.columns[index]

    def titled(match: re.Match) -> str:
        row = chart.table.rows[int(match[1])]
        value = row.cells[index]
        shown = written(value, column) if value is not None else gettext("No data")
        return f"{match[0]}<title>{escape(f'{row.cells[0]}: {shown}')}</title>"

    return _AREA_GROUP.sub(titled, svg)
