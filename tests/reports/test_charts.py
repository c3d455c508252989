"""Charts are drawn from their tables, the Indonesian way, named for screen readers, cached."""

import io
import sys
import types
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation
from PIL import Image

from reports import charts
from reports.charts import Chart, ChartKind, chart_png, chart_svg, short_rupiah
from reports.tables import Column, Kind, Row, Table

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def poverty_table(rate_2025=Decimal("5.83")) -> Table:
    """Kotawaringin Timur's figures quoted in the seeds, and two neighbours."""
    return Table(
        slug="poverty-rank",
        title="Persentase penduduk miskin 2025",
        columns=(
            Column("Kabupaten/kota", Kind.TEXT),
            Column("P0", Kind.PERCENT, decimals=2),
            Column("Penduduk miskin"),
        ),
        rows=(
            Row(("Kotawaringin Timur", rate_2025, 1010), link="/a/62.02/", highlight=True),
            Row(("Banjar", Decimal("2.74"), 16_250), link="/a/63.03/"),
            Row(
                (
                    "Kabupaten dengan nama yang panjang sekali hingga harus dipotong di sumbu",
                    Decimal("4.10"),
                    8_000,
                )
            ),
        ),
        note="BPS, Maret 2025",
    )


def trend_table() -> Table:
    return Table(
        slug="poverty-trend",
        title="Persentase penduduk miskin 2021–2025",
        columns=(
            Column("Tahun", Kind.TEXT),
            Column("Kotabaru", Kind.PERCENT, 2),
            Column("Provinsi", Kind.PERCENT, 2),
        ),
        rows=tuple(
            Row((year, Decimal("5.1") - i / Decimal(10), Decimal("4.5")))
            for i, year in enumerate(range(2021, 2026))
        ),
    )


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own drawing, not a received file


def texts(svg: str) -> str:
    return " ".join("".join(t.itertext()) for t in parsed(svg).iter(f"{SVG}text"))


CHARTS = {
    ChartKind.LINE: lambda: Chart(trend_table(), ChartKind.LINE, series=(1, 2), highlight=1),
    ChartKind.BAR: lambda: Chart(poverty_table(), ChartKind.BAR, series=(2,)),
    ChartKind.HBAR: lambda: Chart(poverty_table(), ChartKind.HBAR),
    ChartKind.STACKED_HBAR: lambda: Chart(poverty_table(), ChartKind.STACKED_HBAR, series=(1, 2)),
    ChartKind.GROUPED_BAR: lambda: Chart(poverty_table(), ChartKind.GROUPED_BAR, series=(1, 2)),
}


@pytest.mark.parametrize("kind", list(CHARTS))
def test_each_kind_is_valid_svg_named_for_screen_readers(kind):
    chart = CHARTS[kind]()
    root = parsed(chart_svg(chart))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == chart.table.title
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == chart.table.title


@pytest.mark.parametrize("kind", list(CHARTS))
def test_no_inline_style_that_the_content_security_policy_would_refuse(kind):
    svg = chart_svg(CHARTS[kind]())
    assert "style=" not in svg
    assert "<style" not in svg
    assert 'fill="#' in svg


def test_references_stay_inside_their_chart():
    svg = chart_svg(CHARTS[ChartKind.STACKED_HBAR]())
    root = parsed(svg)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert ids, "hatches and clip paths keep their ids"
    assert all(i.startswith("c") and "-" in i for i in ids)
    for reference in ("url(#", 'href="#'):
        for part in svg.split(reference)[1:]:
            assert part.split(")")[0].split('"')[0] in ids


def test_numbers_are_written_the_indonesian_way():
    svg = chart_svg(Chart(poverty_table(), ChartKind.HBAR, series=(1,)))
    assert "5,83 %" in texts(svg)
    svg = chart_svg(Chart(poverty_table(), ChartKind.HBAR, series=(2,)))
    assert "1.010" in texts(svg)
    assert "16.250" in texts(svg)


def test_years_on_the_axis_are_names_not_grouped_numbers():
    svg = chart_svg(CHARTS[ChartKind.LINE]())
    assert "2024" in texts(svg)
    assert "2.024" not in texts(svg)


def test_under_english_the_numbers_are_written_the_english_way():
    with translation.override("en"):
        svg = chart_svg(Chart(poverty_table(), ChartKind.HBAR, series=(2,)))
    assert "1,010" in texts(svg)


def test_big_rupiah_amounts_are_shortened():
    assert short_rupiah(650_000) == "Rp 650.000"
    with translation.override("en"):
        assert short_rupiah(1_250_000_000) == "Rp 1.25 billion"
        assert short_rupiah(350_000_000) == "Rp 350 million"


def test_axis_ticks_take_the_decimals_their_step_needs():
    formatter = charts.AxisFormatter(Column("P0", Kind.PERCENT, 2))
    formatter.set_locs([2.0, 2.5, 3.0])
    assert formatter(2.5) == "2,5 %"
    formatter.set_locs([0, 2, 4])
    assert formatter(4) == "4 %"


def test_the_highlighted_row_is_bold_and_outlined_not_only_coloured():
    root = parsed(chart_svg(Chart(poverty_table(), ChartKind.HBAR)))
    bold = [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if t.get("font-weight") in ("700", "bold")
    ]
    assert "Kotawaringin Timur" in bold
    assert "Banjar" not in bold
    hatch_fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert charts.HIGHLIGHT.lower() in hatch_fills  # vermillion under a hatch, outlined


def test_long_category_names_are_cut():
    svg = chart_svg(Chart(poverty_table(), ChartKind.HBAR))
    assert "…" in texts(svg)
    assert "sumbu" not in texts(svg)


def test_a_bar_chart_grows_with_its_rows():
    few = Table(
        "t", "t", (Column("a", Kind.TEXT), Column("b")), tuple(Row((str(i), i)) for i in range(3))
    )
    many = Table("t", "t", few.columns, tuple(Row((str(i), i)) for i in range(20)))

    def height(table):
        return float(parsed(chart_svg(Chart(table, ChartKind.HBAR))).get("viewBox").split()[3])

    assert height(many) > 2 * height(few)


def test_an_empty_table_says_there_is_no_data_yet():
    empty = Table("empty", "Kosong", (Column("Wilayah", Kind.TEXT), Column("Jumlah")), ())
    svg = chart_svg(Chart(empty, ChartKind.HBAR))
    assert "Belum ada data" in texts(svg) or "No data yet" in texts(svg)
    parsed(svg)


def test_a_drawing_is_cached_until_its_numbers_change(monkeypatch):
    drawings = []
    draw = charts.draw
    monkeypatch.setattr(charts, "draw", lambda chart: drawings.append(chart) or draw(chart))

    first = chart_svg(Chart(poverty_table(), ChartKind.HBAR))
    again = chart_svg(Chart(poverty_table(), ChartKind.HBAR))
    assert again == first
    assert len(drawings) == 1

    changed = chart_svg(Chart(poverty_table(rate_2025=Decimal("5.84")), ChartKind.HBAR))
    assert len(drawings) == 2
    assert changed != first
    assert "5,84 %" in texts(changed)


def test_the_cache_key_follows_the_language_and_the_kind():
    chart = Chart(poverty_table(), ChartKind.HBAR)
    key = charts.cache_key(chart)
    with translation.override("en"):
        assert charts.cache_key(chart) != key
    assert charts.cache_key(Chart(poverty_table(), ChartKind.BAR)) != key
    assert charts.cache_key(Chart(poverty_table(), ChartKind.HBAR, series=(2,))) != key
    assert charts.cache_key(Chart(poverty_table(), ChartKind.HBAR)) == key


def test_a_map_is_drawn_by_the_maps_module(monkeypatch):
    drawn = []

    def choropleth_svg(chart):
        drawn.append(chart)
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" style="fill: #ffffff">'
            '<a href="/a/1/"><path d="M0 0"/></a></svg>'
        )

    monkeypatch.setitem(
        sys.modules, "reports.maps", types.SimpleNamespace(choropleth_svg=choropleth_svg)
    )
    chart = Chart(poverty_table(), ChartKind.MAP)
    root = parsed(chart_svg(chart))
    assert drawn == [chart]
    assert root.get("aria-label") == chart.table.title
    assert root.get("role") == "group"  # its areas are links, which role="img" would hide
    assert root.get("fill") == "#ffffff"


def test_making_a_drawing_page_safe_twice_changes_nothing():
    once = chart_svg(CHARTS[ChartKind.HBAR]())
    assert charts.page_safe_svg(once, label="Persentase penduduk miskin 2025") == once


def test_the_docx_picture_is_the_same_drawing_as_png_and_cached_alike(monkeypatch):
    drawings = []
    draw = charts.draw
    monkeypatch.setattr(charts, "draw", lambda chart: drawings.append(chart) or draw(chart))
    chart = Chart(poverty_table(), ChartKind.HBAR)

    png = chart_png(chart)
    assert chart_png(chart) == png
    assert drawings == [chart]  # drawn once, by the function that draws the SVG
    with Image.open(io.BytesIO(png)) as picture:
        assert picture.format == "PNG"
        assert picture.width == round(charts.WIDTH * charts.PNG_DPI)

    chart_png(Chart(poverty_table(rate_2025=Decimal("5.84")), ChartKind.HBAR))
    assert len(drawings) == 2


def test_a_map_picture_is_drawn_by_the_maps_module(monkeypatch):
    drawn = []
    monkeypatch.setitem(
        sys.modules,
        "reports.maps",
        types.SimpleNamespace(map_png=lambda chart: drawn.append(chart) or b"png"),
    )
    chart = Chart(poverty_table(), ChartKind.MAP)

    assert chart_png(chart) == b"png"
    assert drawn == [chart]
