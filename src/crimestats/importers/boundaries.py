"""Boundaries from GeoJSON or shapefiles, in WGS84 or British National Grid, stored in BNG."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crimestats.importers.base import Detected, ImportRejected

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


def read_features(path: Path) -> tuple[list[Feature], bool]:
    """Features and whether the coordinates are British National Grid (else WGS84)."""
    import shapefile
    from shapely.geometry import shape

    if path.suffix.lower() == ".shp":
        reader = shapefile.Reader(str(path))
        names = [f[0] for f in reader.fields[1:]]
        features = [
            Feature(dict(zip(names, rec.record, strict=True)), shape(rec.shape.__geo_interface__))
            for rec in reader.iterShapeRecords()
        ]
        prj = path.with_suffix(".prj")
        prj_text = prj.read_text(errors="replace") if prj.exists() else ""
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = [
            Feature(f.get("properties") or {}, shape(f["geometry"])) for f in data["features"]
        ]
        prj_text = json.dumps(data.get("crs") or {})
    if "British_National_Grid" in prj_text or "27700" in prj_text:
        return features, True
    if "CRS84" in prj_text or "4326" in prj_text or "WGS" in prj_text:
        return features, False
    # No usable CRS statement: BNG eastings are in the hundreds of thousands, degrees are not.
    minx, _, _, _ = features[0].geometry.bounds if features else (0, 0, 0, 0)
    return features, abs(minx) > 1000


def detect(path: Path) -> Detected | None:
    """Recognise a boundary file by a property holding GSS codes."""
    import shapefile

    try:
        features, bng = read_features(path)
    except (OSError, ValueError, KeyError, shapefile.ShapefileException):
        return None
    if not features:
        return None
    code_field = _code_field(features)
    if code_field is None:
        return None
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
    from shapely import make_valid, to_wkb
    from shapely import transform as transform_coords

    features, bng = read_features(path)
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
        if not geom.is_valid:
            geom = make_valid(geom)
        population = feature.properties.get(pop_field) if pop_field else None
        rows.append(
            (
                detected.level,
                code,
                str(feature.properties.get(name_field) or code).strip() if name_field else code,
                str(feature.properties[parent_field]).strip() if parent_field else None,
                int(population) if population not in (None, "") else None,  # type: ignore[call-overload]
                to_wkb(geom),
            )
        )
    return rows


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
