import re
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from households.models import Area
from reports.boundaries import boundaries_import
from reports.charts import Chart, ChartKind
from reports.maps import NO_DATA, choropleth_svg, map_classes, map_png, missing_boundaries
from reports.models import Boundary
from reports.tables import Column, Kind, Row, Table
from tests.factories import AreaFactory
from tests.reports.test_boundaries import collection, feature, square, write

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"

VILLAGES = [  # code, name, share of households in desil 1–4 (%), has a boundary
    ("63.02.17.2001", "Serongga", Decimal("12.5"), True),
    ("63.02.17.2002", "Tarjun", Decimal("5.83"), True),
    ("63.02.17.2003", "Langadai", Decimal("31.04"), True),
    ("63.02.17.2004", "Pulau Panci", Decimal("20"), False),
    ("63.02.17.2005", "Pelajau <Baru> & Co", None, True),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def villages(db, tmp_path):
    for code, name, _value, _drawn in VILLAGES:
        AreaFactory(code=code, name=name)
    path = write(
        tmp_path,
        collection(
            *(
                feature(code, square(116 + i * 0.05, -3.0))
                for i, (code, _n, _v, drawn) in enumerate(VILLAGES)
                if drawn
            )
        ),
    )
    boundaries_import(path, source="cahyadsn/wilayah_boundaries (MIT)")


def village_chart(values=None) -> Chart:
    rows = tuple(
        Row(cells=(name, value), link=f"/laporan/desa/{code}/", key=code)
        for code, name, value, _drawn in VILLAGES
    )
    rows += (Row(cells=("Jumlah", Decimal("17.1"))),)  # a total: no area, not on the map
    table = Table(
        slug="desil-desa",
        title="Rumah tangga desil 1–4 per desa",
        columns=(Column("Desa", Kind.TEXT), Column("Desil 1–4", Kind.PERCENT, 2)),
        rows=rows,
    )
    return Chart(table=table, kind=ChartKind.MAP)


def areas_of(svg: str) -> dict[str, ET.Element]:
    """The map's links by target, each with its <title> and its path."""
    return {a.get(XLINK): a for a in parsed(svg).iter(f"{SVG}a")}


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own drawing, not a received file


def test_each_area_links_to_its_row_and_names_its_value_the_indonesian_way(villages):
    svg = choropleth_svg(village_chart())

    links = areas_of(svg)
    assert sorted(links) == [
        "/laporan/desa/63.02.17.2001/",
        "/laporan/desa/63.02.17.2002/",
        "/laporan/desa/63.02.17.2003/",
        "/laporan/desa/63.02.17.2005/",
    ]
    titles = {href: a.find(f"{SVG}title").text for href, a in links.items()}
    assert titles["/laporan/desa/63.02.17.2002/"] == "Tarjun: 5,83 %"
    assert titles["/laporan/desa/63.02.17.2001/"] == "Serongga: 12,50 %"
    assert all(a.find(f"{SVG}path") is not None for a in links.values())
    assert 'target="_blank"' not in svg  # a drill-down stays in the same tab


def test_names_are_escaped_and_an_area_without_a_value_is_drawn_as_no_data(villages):
    svg = choropleth_svg(village_chart())

    assert "Pelajau &lt;Baru&gt; &amp; Co: " in svg
    no_data = areas_of(svg)["/laporan/desa/63.02.17.2005/"]
    assert no_data.find(f"{SVG}title").text.startswith("Pelajau <Baru> & Co: ")
    hatch = re.search(r'fill="url\(#([^)]+)\)"', ET.tostring(no_data, encoding="unicode"))
    assert hatch, "the no-data area is hatched"
    assert re.search(rf'<pattern id="{re.escape(hatch[1])}".*?fill="{NO_DATA}"', svg, re.S)
    coloured = areas_of(svg)["/laporan/desa/63.02.17.2002/"].find(f"{SVG}path")
    assert coloured.get("fill").startswith("#")


def test_areas_without_a_boundary_are_listed_under_the_map_and_by_name(villages):
    chart = village_chart()

    svg = choropleth_svg(chart)

    assert missing_boundaries(chart) == ["Pulau Panci"]
    note = [t for t in parsed(svg).iter(f"{SVG}text") if "Pulau Panci" in "".join(t.itertext())]
    assert note, "the area without a boundary is named on the map"
    assert "cahyadsn/wilayah_boundaries (MIT)" in svg  # the attribution under the map
    assert "Jumlah" not in svg  # a row without an area is neither drawn nor missing


def test_the_legend_writes_class_ranges_the_indonesian_way():
    percent = Column("P0", Kind.PERCENT, 2)
    classes = map_classes([Decimal("2.36"), Decimal("5.83"), None, 5.834, 12, 31.04], percent)

    assert [c.label for c in classes] == [
        "2,36 %",
        "2,37 – 5,83 %",
        "5,84 – 12,00 %",
        "12,01 – 31,04 %",
    ]
    counts = map_classes(list(range(0, 1000, 10)), Column("Peserta", Kind.COUNT))
    assert [c.label for c in counts] == [
        "0 – 190",
        "191 – 390",
        "391 – 590",
        "591 – 790",
        "791 – 990",
    ]
    assert len({c.colour for c in counts}) == 5
    assert map_classes([None, None], percent) == []


def test_the_drawing_is_deterministic_and_cached_until_the_boundaries_change(
    villages, tmp_path, django_assert_num_queries
):
    chart = village_chart()
    first = choropleth_svg(chart)
    cache.clear()
    assert choropleth_svg(chart) == first

    with django_assert_num_queries(1):  # only the boundaries' version
        assert choropleth_svg(chart) == first

    moved = write(tmp_path, collection(feature("63.02.17.2002", square(117, -3.0))), "b.geojson")
    boundaries_import(moved, source="cahyadsn/wilayah_boundaries (MIT)")
    assert choropleth_svg(chart) != first


def test_with_no_boundary_at_all_the_map_says_so(db):
    AreaFactory(code="63.02.17.2003", name="Langadai")
    table = Table(
        "x",
        "Peta",
        (Column("Desa", Kind.TEXT), Column("Peserta")),
        (Row(cells=("Langadai", 4), link="/l/", key="63.02.17.2003"),),
    )

    svg = choropleth_svg(Chart(table=table, kind=ChartKind.MAP))

    assert "Langadai" in svg
    assert "<a " not in svg


@pytest.mark.django_db
def test_a_district_of_the_shared_file_is_drawn_quickly():
    source = SHARED / "batas_wilayah_63.geojson"
    if not source.exists():
        pytest.skip("the shared boundary file is not beside this checkout")
    call_command(
        "import_regions", str(SHARED / "wilayah_kepmendagri_2025.csv"), "--within", "63.02",
        stdout=StringIO(),
    )  # fmt: skip
    boundaries_import(source, within="63.02")
    districts = Area.objects.districts().within("63.02")
    rows = tuple(
        Row(cells=(a.name, i * 7 % 40), link=f"/d/{a.code}/", key=a.code)
        for i, a in enumerate(districts)
    )
    chart = Chart(
        table=Table(
            "d", "Peserta per kecamatan", (Column("Kecamatan", Kind.TEXT), Column("Peserta")), rows
        ),
        kind=ChartKind.MAP,
    )

    started = time.perf_counter()
    svg = choropleth_svg(chart)
    seconds = time.perf_counter() - started

    assert len(areas_of(svg)) == districts.count() == 22
    assert Boundary.objects.count() == 1 + 22 + 202
    assert len(svg) < 60_000
    assert seconds < 1.5  # generous for a busy CI machine; about 0.1 s measured


def test_the_docx_picture_of_a_map_is_cached_until_the_boundaries_change(
    villages, tmp_path, django_assert_num_queries
):
    chart = village_chart()
    first = map_png(chart)
    assert first.startswith(b"\x89PNG\r\n\x1a\n")

    with django_assert_num_queries(1):  # only the boundaries' version
        assert map_png(chart) == first

    moved = write(tmp_path, collection(feature("63.02.17.2002", square(117, -3.0))), "b.geojson")
    boundaries_import(moved, source="cahyadsn/wilayah_boundaries (MIT)")
    assert map_png(chart) != first
