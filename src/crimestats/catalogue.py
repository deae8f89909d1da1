"""What a warehouse holds: its months, categories, imported files and boundaries.

Callers (the CLI, the web app) ask these questions here rather than querying the warehouse's
tables themselves, so the tables can change without them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crimestats.periods import Period
from crimestats.warehouse import Warehouse

#: Where each figures source's months are recorded: (dataset, classification, level).
SOURCE_SLICES: dict[str, tuple[str, str | None, str | None]] = {
    "mps_2023": ("mps_wide", "mps_2023", "borough"),
    "mps_pre2023": ("mps_wide", "mps_pre2023", "borough"),
    "dashboard": ("mps_dashboard", "dashboard", "borough"),
    "police_uk": ("police_uk_street", None, None),
}

_CATEGORY_SQL = {
    "mps_2023": "SELECT DISTINCT category FROM mps_counts WHERE classification = 'mps_2023' "
    "AND level = 'borough'",
    "mps_pre2023": "SELECT DISTINCT category FROM mps_counts "
    "WHERE classification = 'mps_pre2023' AND level = 'borough'",
    "dashboard": "SELECT DISTINCT category FROM dashboard_counts WHERE level = 'borough'",
    "police_uk": "SELECT DISTINCT crime_type FROM street_crimes",
}

_SOURCE_FIELDS = (
    "id",
    "file_name",
    "format",
    "sha256",
    "rows",
    "month_from",
    "month_to",
    "imported_at",
)


def latest_month(wh: Warehouse, level: str = "borough") -> date | None:
    """The last month of MPS data at LEVEL ("borough", "ward", "lsoa"), or of any data when
    there is no MPS data at that level; None for an empty warehouse."""
    row = wh.con.execute(
        "SELECT max(month) FROM slices WHERE dataset = 'mps_wide' AND level = ?", [level]
    ).fetchone()
    if row and row[0]:
        return row[0]  # type: ignore[no-any-return]
    row = wh.con.execute("SELECT max(month) FROM slices").fetchone()
    return row[0] if row else None


def first_month(wh: Warehouse) -> date | None:
    """The first month held by any source."""
    row = wh.con.execute("SELECT min(month) FROM slices").fetchone()
    return row[0] if row else None


def categories(wh: Warehouse, source: str) -> list[str]:
    """Every crime category SOURCE holds at borough level, sorted."""
    return sorted(str(r[0]) for r in wh.con.execute(_CATEGORY_SQL[source]).fetchall())


def provenance(wh: Warehouse, source: str | None, periods: list[Period]) -> list[dict[str, Any]]:
    """The imported files that supply SOURCE's months in PERIODS: each figure's data trail."""
    if not source:
        return []
    dataset, classification, level = SOURCE_SLICES[source]
    months = sorted({m for p in periods for m in p.month_list()})
    rows = wh.con.execute(
        "SELECT s.id, s.file_name, s.format, s.sha256, s.rows, s.month_from, s.month_to, "
        "s.imported_at FROM sources s WHERE s.id IN (SELECT source_id FROM slices WHERE "
        "dataset = ? AND (? IS NULL OR classification = ?) AND (? IS NULL OR level = ?) "
        "AND list_contains(?, month)) ORDER BY s.month_to, s.id",
        [dataset, classification, classification, level, level, months],
    ).fetchall()
    return [dict(zip(_SOURCE_FIELDS, r, strict=True)) for r in rows]


def imported_files(wh: Warehouse) -> list[dict[str, Any]]:
    """Every import still supplying data, with its provenance, newest first."""
    rows = wh.con.execute(
        "SELECT id, file_name, format, sha256, rows, month_from, month_to, imported_at "
        "FROM sources ORDER BY imported_at DESC, id DESC"
    ).fetchall()
    return [dict(zip(_SOURCE_FIELDS, r, strict=True)) for r in rows]


def boundary_polygons(wh: Warehouse, level: str, codes: list[str]) -> dict[str, bytes]:
    """British National Grid WKB polygons of the areas CODES at one boundary LEVEL."""
    rows = wh.con.execute(
        "SELECT code, geometry_bng FROM boundaries WHERE level = ? AND list_contains(?, code)",
        [level, codes],
    ).fetchall()
    return {str(code): bytes(geometry) for code, geometry in rows}


def ward_names(wh: Warehouse, borough_code: str) -> list[tuple[str, bytes]]:
    """The borough's ward names with their boundaries (BNG WKB), by name."""
    rows = wh.con.execute(
        "SELECT name, geometry_bng FROM boundaries WHERE level = 'ward' AND parent_code = ? "
        "AND name IS NOT NULL ORDER BY name",
        [borough_code],
    ).fetchall()
    return [(str(name), bytes(geometry)) for name, geometry in rows]


def data_version(wh: Warehouse) -> str:
    """Changes whenever an import changes the data: a cache key's part."""
    row = wh.con.execute("SELECT count(*), max(id), max(imported_at) FROM sources").fetchone()
    return f"{wh.path}|{row}"
