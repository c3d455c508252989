import json
import math
from io import StringIO
from pathlib import Path

import pytest
import shapely
from django.core.management import call_command
from django.utils import translation
from shapely.geometry import shape

from households.areas import AreaCodeError
from reports import boundaries
from reports.boundaries import (
    DEMO_BOUNDARIES,
    DEMO_SOURCE,
    BoundaryFileError,
    boundaries_import,
    display_geometry,
)
from reports.models import Boundary
from tests.factories import AreaFactory

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
DEMO_AREAS = Path(__file__).resolve().parents[2] / "households" / "demo" / "wilayah_demo.csv"


def square(lon: float, lat: float, size: float = 0.05) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def circle(lon: float, lat: float, radius: float, points: int) -> dict:
    ring = [
        [
            lon + radius * math.cos(2 * math.pi * i / points),
            lat + radius * math.sin(2 * math.pi * i / points),
        ]
        for i in range(points)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def feature(code, geometry, name="") -> dict:
    return {"type": "Feature", "properties": {"kode": code, "nama": name}, "geometry": geometry}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def write(tmp_path, data, name="batas.geojson") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in their msgid language, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def areas(db):
    return {
        code: AreaFactory(code=code, name=name)
        for code, name in [
            ("63.02.17", "Kelumpang Hilir"),
            ("63.02.17.2002", "Tarjun"),
            ("63.02.17.2003", "Langadai"),
            ("63.03.01", "Aluh Aluh"),
        ]
    }


def test_known_areas_are_written_and_unknown_codes_reported_not_written(tmp_path, areas):
    path = write(
        tmp_path,
        collection(
            feature("63.02.17.2002", square(116.0, -3.0)),
            feature("63.02.17.2003", square(116.1, -3.0)),
            feature("63.02.17.2099", square(116.2, -3.0)),
            feature("99.01", square(116.3, -3.0)),
        ),
    )

    result = boundaries_import(path, source="cahyadsn/wilayah_boundaries (MIT)")

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert result.unknown == ["63.02.17.2099", "99.01"]
    assert set(Boundary.objects.values_list("pk", flat=True)) == {"63.02.17.2002", "63.02.17.2003"}
    boundary = Boundary.objects.get(pk="63.02.17.2003")
    assert boundary.source == "cahyadsn/wilayah_boundaries (MIT)"
    assert boundary.geometry["type"] == "Polygon"


def test_a_second_import_of_the_same_file_changes_nothing_and_says_so(tmp_path, areas):
    path = write(
        tmp_path,
        collection(
            feature("63.02.17.2002", circle(116.0, -3.0, 0.05, 400)),
            feature("63.02.17.2003", square(116.1, -3.0)),
        ),
    )
    boundaries_import(path, source="s")
    before = dict(Boundary.objects.values_list("pk", "imported_at"))

    again = boundaries_import(path, source="s")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert not again.changed
    assert dict(Boundary.objects.values_list("pk", "imported_at")) == before


def test_a_changed_outline_or_source_is_updated(tmp_path, areas):
    boundaries_import(write(tmp_path, collection(feature("63.02.17.2002", square(116.0, -3.0)))))
    moved = write(tmp_path, collection(feature("63.02.17.2002", square(116.5, -3.0))), "b.geojson")

    assert boundaries_import(moved).updated == 1
    assert boundaries_import(moved, source="BIG").updated == 1
    boundary = Boundary.objects.get(pk="63.02.17.2002")
    assert (boundary.source, boundary.geometry["coordinates"][0][0]) == ("BIG", [116.5, -3.0])


def test_within_keeps_that_area_and_below_and_counts_the_rest(tmp_path, areas):
    path = write(
        tmp_path,
        collection(
            feature("63.02.17", square(116.0, -3.0, 0.3)),
            feature("63.02.17.2003", square(116.1, -3.0)),
            feature("63.03.01", square(114.0, -3.0)),
            feature("63.02.17.2099", {"type": "Point", "coordinates": [1, 2]}),
        ),
    )

    result = boundaries_import(path, within="63.02.17")

    assert (result.created, result.skipped) == (2, 1)
    assert result.unknown == ["63.02.17.2099"]
    assert not Boundary.objects.filter(pk="63.03.01").exists()
    with pytest.raises(AreaCodeError):
        boundaries_import(path, within="6302")


def test_bad_features_are_reported_with_their_number_and_reason_and_the_others_written(
    tmp_path, areas
):
    out_of_range = square(190.0, -3.0)
    not_pairs = {"type": "Polygon", "coordinates": [[[116.0, -3.0], [116.1], "x", [116.0, -3.0]]]}
    flat = {"type": "Polygon", "coordinates": [[[116, -3], [116.1, -3], [116.2, -3], [116, -3]]]}
    path = write(
        tmp_path,
        collection(
            feature("63.02.17.2002", square(116.0, -3.0)),
            feature("63.02.17.2003", {"type": "Point", "coordinates": [116.0, -3.0]}),
            feature("63.02.17.2003", out_of_range),
            feature("63.02.17", not_pairs),
            feature("63.03.01", flat),
            feature("6302", square(116.0, -3.0)),
            {"type": "Feature", "properties": {"nama": "tanpa kode"}, "geometry": None},
            "not a feature",
            feature("63.02.17.2002", square(116.0, -3.0)),
        ),
    )

    result = boundaries_import(path)

    reasons = {bad.number: (bad.code, bad.reason) for bad in result.bad}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert reasons[2] == ("63.02.17.2003", "the geometry is Point, not a Polygon or MultiPolygon.")
    assert "not rings of longitude, latitude pairs" in reasons[4][1]
    assert reasons[5] == ("63.03.01", "the outline encloses no area.")
    assert reasons[6][0] == "6302"
    assert "properties.kode" in reasons[7][1]
    assert "already feature 1" in reasons[9][1]
    # A code's second feature is refused as a repeat, whatever the first one was.
    assert reasons[3] == ("63.02.17.2003", "63.02.17.2003 was already feature 2.")
    assert result.created == 1
    assert list(Boundary.objects.values_list("pk", flat=True)) == ["63.02.17.2002"]


def test_coordinates_outside_longitude_latitude_are_refused(tmp_path, areas):
    path = write(tmp_path, collection(feature("63.02.17.2003", square(116.0, 95.0))))

    [bad] = boundaries_import(path).bad

    assert "is not a longitude, latitude" in bad.reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"type": "FeatureCollection", "features": [', r"not valid JSON \(line 1"),
        ('{"type": "FeatureCollection", "features": [NaN]}', "not valid JSON"),
        ('[{"type": "Feature"}]', "not a GeoJSON FeatureCollection"),
        ('{"type": "Feature", "geometry": null}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": {}}', "no list of features"),
        ("[" * 100_000 + "]" * 100_000, "not"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_a_clear_error(tmp_path, areas, text, message):
    with pytest.raises(BoundaryFileError, match=message):
        boundaries_import(write(tmp_path, text))
    assert not Boundary.objects.exists()


def test_a_file_that_is_not_utf8_or_too_big_is_refused_before_parsing(tmp_path, areas, monkeypatch):
    latin = tmp_path / "latin.geojson"
    latin.write_bytes('{"type": "FeatureCollection", "features": [], "x": "é"}'.encode("latin-1"))
    with pytest.raises(BoundaryFileError, match="UTF-8"):
        boundaries_import(latin)
    monkeypatch.setattr(boundaries, "MAX_BYTES", 2**20)
    big = write(tmp_path, collection(feature("63.02.17.2003", circle(116, -3, 0.1, 80_000))))
    with pytest.raises(BoundaryFileError, match="at most 1 MB"):
        boundaries_import(big)
    with pytest.raises(BoundaryFileError, match="no such file"):
        boundaries_import(tmp_path / "tidak-ada.geojson")


def test_the_write_is_all_or_nothing(tmp_path, areas, monkeypatch):
    boundaries_import(write(tmp_path, collection(feature("63.02.17.2002", square(116.0, -3.0)))))
    path = write(
        tmp_path,
        collection(
            feature("63.02.17.2002", square(116.5, -3.0)),
            feature("63.02.17.2003", square(116.1, -3.0)),
        ),
        "b.geojson",
    )

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Boundary.objects, "bulk_update", failing)
    with pytest.raises(RuntimeError):
        boundaries_import(path)

    assert list(Boundary.objects.values_list("pk", flat=True)) == ["63.02.17.2002"]


def test_simplification_reduces_points_by_level_but_keeps_every_area():
    detailed = circle(116.0, -3.0, 0.05, 2000)
    island = circle(116.2, -3.0, 0.0004, 50)  # about 90 m across: smaller than the tolerance
    both = {"type": "MultiPolygon", "coordinates": [detailed["coordinates"], island["coordinates"]]}

    village = display_geometry(both, 4)
    district = display_geometry(both, 3)

    def points(geometry):
        return shapely.get_num_coordinates(shape(geometry))

    assert points(district) < points(village) < points(both) / 10
    assert village["type"] == district["type"] == "MultiPolygon"
    assert len(village["coordinates"]) == 2  # the small island is still there
    assert shape(village).area == pytest.approx(shape(both).area, rel=0.01)
    # Rounded to five decimals, in GeoJSON lists.
    assert all(
        round(value, 5) == value
        for polygon in village["coordinates"]
        for ring in polygon
        for point in ring
        for value in point
    )


def test_outlines_are_stored_counter_clockwise_with_clockwise_holes():
    outer = [[116.0, -3.0], [116.0, -2.9], [116.1, -2.9], [116.1, -3.0], [116.0, -3.0]]  # clockwise
    hole = [[116.03, -2.97], [116.07, -2.97], [116.07, -2.93], [116.03, -2.93], [116.03, -2.97]]

    geometry = display_geometry({"type": "Polygon", "coordinates": [outer, hole]}, 4)

    polygon = shape(geometry)
    assert polygon.exterior.is_ccw
    assert not polygon.interiors[0].is_ccw


def test_a_self_crossing_outline_is_repaired_not_refused():
    bowtie = [[116.0, -3.0], [116.1, -2.9], [116.1, -3.0], [116.0, -2.9], [116.0, -3.0]]

    geometry = display_geometry({"type": "Polygon", "coordinates": [bowtie]}, 4)

    assert geometry["type"] == "MultiPolygon"
    assert shape(geometry).is_valid
    assert shape(geometry).area == pytest.approx(0.005, rel=0.01)


@pytest.mark.django_db
def test_the_demo_excerpt_imports_whole_and_as_it_is():
    call_command("import_regions", str(DEMO_AREAS), stdout=StringIO())

    result = boundaries_import(DEMO_BOUNDARIES, source=DEMO_SOURCE)

    assert (result.unknown, result.bad) == ([], [])
    assert result.created == 34  # Kotabaru, its three demo districts and their 30 villages
    assert DEMO_BOUNDARIES.stat().st_size < 150_000
    features = json.loads(DEMO_BOUNDARIES.read_text())["features"]
    stored = dict(Boundary.objects.values_list("pk", "geometry"))
    assert all(stored[f["properties"]["kode"]] == f["geometry"] for f in features)
    assert not boundaries_import(DEMO_BOUNDARIES, source=DEMO_SOURCE).changed


@pytest.mark.django_db
def test_the_shared_province_file_imports_for_one_regency_smaller_and_whole():
    source = SHARED / "batas_wilayah_63.geojson"
    if not source.exists():
        pytest.skip("the shared boundary file is not beside this checkout")
    call_command(
        "import_regions", str(SHARED / "wilayah_kepmendagri_2025.csv"), "--within", "63.02",
        stdout=StringIO(),
    )  # fmt: skip

    result = boundaries_import(source, within="63.02")

    assert (result.unknown, result.bad) == ([], [])
    assert result.created == 1 + 22 + 202
    assert result.skipped == 2177 - result.created
    features = {
        f["properties"]["kode"]: f["geometry"] for f in json.loads(source.read_text())["features"]
    }
    villages = Boundary.objects.filter(area__code__startswith="63.02.17.")
    assert sum(shapely.get_num_coordinates(shape(b.geometry)) for b in villages) < 0.7 * sum(
        shapely.get_num_coordinates(shape(features[b.pk])) for b in villages
    )
    size = len(json.dumps([b.geometry for b in villages], separators=(",", ":")))
    assert size < 40_000  # a district's villages: a few dozen kilobytes
