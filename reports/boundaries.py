"""Area boundaries from a GeoJSON file into `Boundary`, simplified for display.

The file is a FeatureCollection whose features carry the Kepmendagri code in
`properties.kode` (the format of cahyadsn/wilayah_boundaries as converted in
`../shared/data/batas_wilayah_63.geojson`). Outlines are simplified per area level and
rounded to 5 decimals (about 1 m), so that a district's village map stays a few dozen
kilobytes; the source precision is not kept.
"""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

from households.areas import AreaCodeError, area_level, is_within
from households.models import Area, AreaLevel
from reports.models import Boundary

# A province's boundary file of villages is a few megabytes; refuse what cannot be one.
MAX_BYTES = getattr(settings, "TKPK_BOUNDARY_MAX_BYTES", 64 * 1024 * 1024)
# Simplification tolerance in degrees (0.001° ≈ 110 m): about a pixel of the map an area
# of that level is drawn on — villages on a district map, districts on the region's map,
# regencies on the province's. Measured on the shared Kalimantan Selatan file: the 9
# villages of Kelumpang Hilir go from 19.8 to 10.6 KB, the 202 of Kotabaru from 525 to 216 KB.
TOLERANCE = {
    AreaLevel.PROVINCE: 0.01,
    AreaLevel.REGENCY: 0.005,
    AreaLevel.DISTRICT: 0.002,
    AreaLevel.VILLAGE: 0.0005,
}
DECIMALS = 5
POLYGONAL = ("Polygon", "MultiPolygon")
BATCH_SIZE = 500

# The excerpt the demo ships: Kotabaru's outline, its demo districts and their villages.
DEMO_BOUNDARIES = Path(__file__).resolve().parent / "demo_data" / "batas_wilayah_demo.geojson"
DEMO_SOURCE = "cahyadsn/wilayah_boundaries (MIT)"


class BoundaryFileError(Exception):
    """The file cannot be read as a GeoJSON FeatureCollection; nothing was written."""


class FeatureError(ValueError):
    """One feature cannot be used; the message says why."""


@dataclass(frozen=True)
class BadFeature:
    number: int  # the feature's position in the file, counted from 1
    code: str  # as written in properties.kode, "" when missing
    reason: str


@dataclass
class BoundaryImport:
    """What an import did. Unknown codes and bad features were not written."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)
    skipped: int = 0  # features outside `within`
    bad: list[BadFeature] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_features(path: Path) -> list:
    """The file's features, after the checks that concern the whole file."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise BoundaryFileError(_("%(path)s: no such file.") % {"path": path}) from error
    if size > MAX_BYTES:
        raise BoundaryFileError(
            _("the file has %(size)d MB; at most %(max)d MB are read.")
            % {"size": math.ceil(size / 2**20), "max": MAX_BYTES // 2**20}
        )
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise BoundaryFileError(_("the file is not UTF-8 text.")) from error
    except json.JSONDecodeError as error:
        raise BoundaryFileError(
            _("the file is not valid JSON (line %(line)d, column %(column)d: %(message)s).")
            % {"line": error.lineno, "column": error.colno, "message": error.msg}
        ) from error
    except (ValueError, RecursionError) as error:
        raise BoundaryFileError(_("the file is not valid JSON.")) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError(_("the file is not a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise BoundaryFileError(_("the FeatureCollection has no list of features."))
    return features


def _no_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are not JSON numbers


def feature_code(feature) -> str:
    """The well-formed area code of a feature, or FeatureError."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        raise FeatureError(_("not a GeoJSON feature with properties."))
    code = properties.get("kode")
    if not isinstance(code, str) or not code.strip():
        raise FeatureError(_("the feature has no area code in properties.kode."))
    code = code.strip()
    try:
        area_level(code)
    except AreaCodeError as error:
        raise FeatureError(str(error)) from error
    return code


def display_geometry(geometry, level: int) -> dict:
    """A checked GeoJSON geometry simplified for display at `level`, or FeatureError.

    Exteriors come out counter-clockwise and holes clockwise (RFC 7946), so a drawing
    with the non-zero fill rule leaves the holes empty.
    """
    polygons = _polygons(geometry)
    tolerance = TOLERANCE[level]
    simplified = polygons.simplify(tolerance, preserve_topology=True)
    parts = [_rounded(orient(part, 1.0)) for part in shapely.get_parts(simplified)]
    parts = [part for part in parts if part]
    if not parts:
        raise FeatureError(_("the outline encloses no area."))
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def _polygons(geometry) -> Polygon | MultiPolygon:
    """The geometry as a valid shapely (multi)polygon, after checking what it holds."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in POLYGONAL:
        raise FeatureError(
            _("the geometry is %(kind)s, not a Polygon or MultiPolygon.") % {"kind": kind or "—"}
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons or not all(map(_polygon_ok, polygons)):
        raise FeatureError(_("the coordinates are not rings of longitude, latitude pairs."))
    for polygon in polygons:
        for ring in polygon:
            for lon, lat, *_rest in ring:
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise FeatureError(
                        _("the point %(lon)s, %(lat)s is not a longitude, latitude.")
                        % {"lon": lon, "lat": lat}
                    )
    geom = shapely.force_2d(shape({"type": kind, "coordinates": coordinates}))
    if not geom.is_valid:
        # Self-crossing outlines are common in digitised boundaries; repair, keep the areas.
        geom = shapely.make_valid(geom)
        polygons_only = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon)]
        for part in shapely.get_parts(geom):
            if isinstance(part, MultiPolygon):
                polygons_only.extend(part.geoms)
        geom = MultiPolygon(polygons_only)
    if geom.is_empty or geom.area == 0:
        raise FeatureError(_("the outline encloses no area."))
    return geom


def _polygon_ok(polygon) -> bool:
    return isinstance(polygon, list) and bool(polygon) and all(map(_ring_ok, polygon))


def _ring_ok(ring) -> bool:
    return isinstance(ring, list) and len(ring) >= 4 and all(map(_position_ok, ring))


def _position_ok(position) -> bool:
    return (
        isinstance(position, list)
        and 2 <= len(position) <= 3
        and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in position
        )
    )


def _rounded(polygon: Polygon) -> list:
    """The polygon's rings as GeoJSON lists rounded to DECIMALS; [] if its exterior vanishes."""
    rings = []
    for ring in (polygon.exterior, *polygon.interiors):
        points = []
        for x, y in ring.coords:
            point = [round(x, DECIMALS), round(y, DECIMALS)]
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 4:
            rings.append(points)
        elif not rings:
            return []
    return rings


def boundaries_import(path: Path, *, within: str | None = None, source: str = "") -> BoundaryImport:
    """Write the boundaries of the file's known areas (below `within`, if given), all or nothing.

    A second import of the same file with the same source changes nothing. Raises
    BoundaryFileError for a file that cannot be read and AreaCodeError for a bad `within`.
    """
    if within is not None:
        area_level(within)
    result = BoundaryImport()
    candidates = _candidates(read_features(Path(path)), within, result)
    known = set(Area.objects.filter(code__in=candidates).values_list("code", flat=True))
    result.unknown = sorted(set(candidates) - known)
    geometries = {}
    for code in sorted(known):
        number, geometry = candidates[code]
        try:
            geometries[code] = display_geometry(geometry, area_level(code))
        except FeatureError as error:
            result.bad.append(BadFeature(number, code, str(error)))
    result.bad.sort(key=lambda bad: bad.number)
    _write(geometries, source, result)
    return result


def _candidates(features: list, within: str | None, result: BoundaryImport) -> dict:
    """{code: (number, geometry)} of the features to consider; the others counted in `result`."""
    candidates: dict[str, tuple[int, object]] = {}
    for number, feature in enumerate(features, start=1):
        try:
            code = feature_code(feature)
        except FeatureError as error:
            raw = feature.get("properties", {}) if isinstance(feature, dict) else {}
            raw_code = raw.get("kode", "") if isinstance(raw, dict) else ""
            result.bad.append(BadFeature(number, str(raw_code)[:20], str(error)))
            continue
        if within is not None and not is_within(code, within):
            result.skipped += 1
        elif code in candidates:
            first = candidates[code][0]
            reason = _("%(code)s was already feature %(number)d.") % {
                "code": code,
                "number": first,
            }
            result.bad.append(BadFeature(number, code, reason))
        else:
            candidates[code] = (number, feature.get("geometry"))
    return candidates


@transaction.atomic
def _write(geometries: dict[str, dict], source: str, result: BoundaryImport) -> None:
    now = timezone.now()
    existing = Boundary.objects.select_for_update().in_bulk(list(geometries))
    new, changed = [], []
    for code, geometry in geometries.items():
        boundary = existing.get(code)
        if boundary is None:
            new.append(Boundary(area_id=code, geometry=geometry, source=source, imported_at=now))
        elif boundary.geometry != geometry or boundary.source != source:
            boundary.geometry, boundary.source, boundary.imported_at = geometry, source, now
            changed.append(boundary)
    Boundary.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Boundary.objects.bulk_update(
        changed, ["geometry", "source", "imported_at"], batch_size=BATCH_SIZE
    )
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(geometries) - len(new) - len(changed)
