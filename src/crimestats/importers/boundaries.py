"""Boundaries from GeoJSON or shapefiles, in WGS84 or British National Grid, stored in BNG."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crimestats.importers.base import Detected
from crimestats.importers.validation import ImportRejected

if TYPE_CHECKING:  # shapely, pyproj and numpy load on first use: most imports are not boundaries
    from shapely import Geometry

GSS = re.compile(r"^[EWSN]\d{8}$")
LEVEL_BY_PREFIX = {
    "E01": "lsoa",
    "W01": "lsoa",
    "E02": "msoa",
    "W02": "msoa",
    "E05": "ward",
    "W05": "ward",
    "E06": "borough",
    "E07": "borough",
    "E08": "borough",
    "E09": "borough",
    "W06": "borough",
}
POPULATION_FIELDS = ("USUALRES", "POPULATION", "POP")


@dataclass
class Feature:
    """One boundary, as read from the file."""

    properties: dict[str, object]
    geometry: Geometry


def read_features(path: Path, file_name: str = "") -> tuple[list[Feature], bool]:
    """Features and whether the coordinates are British National Grid (else WGS84).

    Raises :class:`ImportRejected` for a file that cannot be read, naming the feature (as the
    row, counted from 1) whose geometry is missing or malformed.
    """
    import shapefile

    name = file_name or path.name
    if path.suffix.lower() == ".shp":
        try:
            reader = shapefile.Reader(str(path))
            fields = [f[0] for f in reader.fields[1:]]
            pairs = [(rec.record, rec.shape.__geo_interface__) for rec in reader.iterShapeRecords()]
        except Exception as exc:  # pyshp raises struct.error, IndexError, ... on damaged files
            raise ImportRejected(name, f"not a readable shapefile ({type(exc).__name__})") from exc
        raw = [(dict(zip(fields, record, strict=False)), geometry) for record, geometry in pairs]
        prj = path.with_suffix(".prj")
        prj_text = prj.read_text(errors="replace") if prj.exists() else ""
    else:
        raw, prj_text = _geojson_features(path, name)
    features = [
        Feature(props, _shape(geometry, name, index))
        for index, (props, geometry) in enumerate(raw, start=1)
    ]
    if "British_National_Grid" in prj_text or "27700" in prj_text:
        return features, True
    if "CRS84" in prj_text or "4326" in prj_text or "WGS" in prj_text:
        return features, False
    # No usable CRS statement: BNG eastings are in the hundreds of thousands, degrees are not.
    minx, _, _, _ = features[0].geometry.bounds if features else (0, 0, 0, 0)
    return features, abs(minx) > 1000


def _geojson_features(path: Path, name: str) -> tuple[list[tuple[dict[str, object], object]], str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportRejected(name, "not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            name, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ImportRejected(name, 'not a GeoJSON FeatureCollection: no list of "features"')
    raw = []
    for index, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(props, dict | None):
            raise ImportRejected(name, "not a GeoJSON feature", row=index)
        raw.append((props or {}, feature.get("geometry")))
    return raw, json.dumps(data.get("crs") or {})


def _shape(geometry: object, name: str, index: int) -> Geometry:
    from shapely.geometry import shape

    if not isinstance(geometry, dict) or not geometry.get("type"):
        raise ImportRejected(name, "the feature has no geometry", row=index, column="geometry")
    try:
        geom = shape(geometry)
        geom.bounds  # noqa: B018 - reads every coordinate, so a malformed one fails here
    except Exception as exc:  # shapely raises TypeError, ValueError, GEOSException, ...
        raise ImportRejected(
            name, f"not a valid geometry ({type(exc).__name__})", row=index, column="geometry"
        ) from exc
    return geom


def detect(path: Path, file_name: str = "") -> Detected:
    """Recognise a boundary file by a property holding GSS codes; refuse one that is damaged."""
    name = file_name or path.name
    features, bng = read_features(path, name)
    if not features:
        raise ImportRejected(name, "no features")
    code_field = _code_field(features)
    if code_field is None:
        raise ImportRejected(name, "no property holding a GSS code in every feature")
    first_code = str(features[0].properties[code_field]).strip()
    level = LEVEL_BY_PREFIX.get(first_code[:3], "area")
    vintage = re.search(r"(11|21)CD$", code_field.upper())
    if level in ("lsoa", "msoa") and vintage:
        # LSOA 2011 and 2021 share most codes but not all boundaries: keep them apart.
        level = f"{level}{vintage.group(1)}"
    crs = "British National Grid (EPSG:27700)" if bng else "WGS84"
    return Detected(
        format_id="boundaries",
        description=f"{level} boundaries ({len(features)} features, {crs}, code field {code_field})",
        dataset="boundaries",
        classification="",
        level=level,
        vintage="",
        details={"code_field": code_field, "bng": "1" if bng else ""},
    )


def _code_field(features: list[Feature]) -> str | None:
    """The property with GSS codes that tells features apart best (LSOA before its LAD)."""
    best, best_distinct = None, 0
    for key in features[0].properties:
        values = [str(f.properties.get(key) or "").strip() for f in features]
        if all(GSS.match(v) for v in values):
            distinct = len(set(values))
            if distinct > best_distinct:
                best, best_distinct = key, distinct
    return best


def load_rows(path: Path, file_name: str, detected: Detected) -> list[tuple[object, ...]]:
    """Validated rows for the ``boundaries`` table (without source id), geometry as BNG WKB."""
    import numpy as np
    from pyproj import Transformer
    from shapely import get_coordinates, make_valid, to_wkb
    from shapely import transform as transform_coords

    features, bng = read_features(path, file_name)
    code_field = detected.details["code_field"]
    name_field = _name_field(list(features[0].properties), code_field)
    parent_field = _parent_field(features, code_field)
    pop_field = next((f for f in features[0].properties if f.upper() in POPULATION_FIELDS), None)
    to_bng = None if bng else Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    rows: list[tuple[object, ...]] = []
    seen: set[str] = set()
    for index, feature in enumerate(features, start=1):
        code = str(feature.properties[code_field]).strip()
        if code in seen:
            raise ImportRejected(file_name, f"duplicate code {code}", row=index, column=code_field)
        seen.add(code)
        geom = feature.geometry
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ImportRejected(
                file_name, f"not a polygon ({geom.geom_type})", row=index, column="geometry"
            )
        if to_bng is not None:
            geom = transform_coords(
                geom, lambda xy, t=to_bng: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
            )
        if not np.isfinite(get_coordinates(geom)).all():
            raise ImportRejected(
                file_name, "coordinates out of range", row=index, column="geometry"
            )
        if not geom.is_valid:
            geom = make_valid(geom)
        population = _population(feature, pop_field, file_name, index)
        rows.append(
            (
                detected.level,
                code,
                str(feature.properties.get(name_field) or code).strip() if name_field else code,
                str(feature.properties[parent_field]).strip() if parent_field else None,
                population,
                to_wkb(geom),
            )
        )
    return rows


def _population(feature: Feature, field: str | None, file_name: str, index: int) -> int | None:
    """The feature's population: a whole number of people, or None when not given."""
    value = feature.properties.get(field) if field else None
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch("[0-9]+", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise ImportRejected(
            file_name, f"not a whole number of people: {value!r}", row=index, column=field
        )
    return value


def _name_field(keys: list[str], code_field: str) -> str | None:
    if code_field.upper().endswith("CD"):
        wanted = code_field[:-2].upper() + "NM"
        for key in keys:
            if key.upper() == wanted:
                return key
    return next((k for k in keys if k.upper() in ("NAME", "NM")), None)


def _parent_field(features: list[Feature], code_field: str) -> str | None:
    """A property holding local authority codes, when the features are smaller areas."""
    for key in features[0].properties:
        if key == code_field:
            continue
        values = [str(f.properties.get(key) or "").strip() for f in features]
        if all(GSS.match(v) and LEVEL_BY_PREFIX.get(v[:3]) == "borough" for v in values):
            return key
    return None
