"""The embedded warehouse: one DuckDB file under the data directory."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import duckdb

from crimestats.config import warehouse_path
from crimestats.geography import load_geography

# Every fact table carries the "slice" columns (dataset, classification, level, scope, month):
# importing a file replaces exactly the slices it covers, so re-imports never double count.
SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS source_ids;
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY DEFAULT nextval('source_ids'),
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    month_from DATE,
    month_to DATE,
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS slices (
    dataset VARCHAR, classification VARCHAR, level VARCHAR, scope VARCHAR, month DATE,
    source_id INTEGER,
    PRIMARY KEY (dataset, classification, level, scope, month)
);
CREATE TABLE IF NOT EXISTS mps_counts (
    classification VARCHAR, level VARCHAR, scope VARCHAR, month DATE,
    area_code VARCHAR, area_name VARCHAR, borough_code VARCHAR,
    category VARCHAR, count INTEGER, source_id INTEGER
);
CREATE TABLE IF NOT EXISTS dashboard_counts (
    classification VARCHAR, level VARCHAR, scope VARCHAR, month DATE,
    area_code VARCHAR, area_name VARCHAR, borough_code VARCHAR,
    category VARCHAR, count INTEGER, source_id INTEGER
);
CREATE TABLE IF NOT EXISTS street_crimes (
    classification VARCHAR, level VARCHAR, scope VARCHAR, month DATE,
    crime_id VARCHAR, reported_by VARCHAR, falls_within VARCHAR,
    longitude DOUBLE, latitude DOUBLE, location VARCHAR,
    lsoa_code VARCHAR, lsoa_name VARCHAR, borough_name VARCHAR,
    crime_type VARCHAR, last_outcome VARCHAR, context VARCHAR, source_id INTEGER
);
CREATE TABLE IF NOT EXISTS outcomes (
    classification VARCHAR, level VARCHAR, scope VARCHAR, month DATE,
    crime_id VARCHAR, reported_by VARCHAR, falls_within VARCHAR,
    longitude DOUBLE, latitude DOUBLE, location VARCHAR,
    lsoa_code VARCHAR, lsoa_name VARCHAR, outcome_type VARCHAR, source_id INTEGER
);
CREATE TABLE IF NOT EXISTS stop_search (
    classification VARCHAR, level VARCHAR, scope VARCHAR, month DATE,
    search_type VARCHAR, searched_at TIMESTAMPTZ, latitude DOUBLE, longitude DOUBLE,
    gender VARCHAR, age_range VARCHAR, self_defined_ethnicity VARCHAR,
    officer_defined_ethnicity VARCHAR, legislation VARCHAR, object_of_search VARCHAR,
    outcome VARCHAR, outcome_linked VARCHAR, removal_of_clothing VARCHAR, source_id INTEGER
);
CREATE TABLE IF NOT EXISTS boundaries (
    level VARCHAR, code VARCHAR, name VARCHAR, parent_code VARCHAR, population INTEGER,
    geometry_bng BLOB, source_id INTEGER,
    PRIMARY KEY (level, code)
);
"""

#: Which fact table holds each dataset.
FACT_TABLES = {
    "mps_wide": "mps_counts",
    "mps_dashboard": "dashboard_counts",
    "police_uk_street": "street_crimes",
    "police_uk_outcomes": "outcomes",
    "police_uk_stop_and_search": "stop_search",
}


class Warehouse:
    """An open connection to the warehouse, with the schema in place.

    >>> with Warehouse(":memory:") as wh:
    ...     wh.con.execute("select count(*) from sources").fetchone()
    (0,)
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        target = str(path) if path is not None else str(warehouse_path())
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            read_only = read_only and Path(target).exists()
        self.path = target
        self.con = duckdb.connect(target, read_only=read_only)
        if not read_only:
            self.con.execute(SCHEMA)
        self._register_geography()

    def _register_geography(self) -> None:
        geo = load_geography()
        rows = [(b.code, b.name, geo.bcu(b).code) for b in geo.boroughs]
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE geo_boroughs (code VARCHAR, name VARCHAR, bcu VARCHAR)"
        )
        self.con.executemany("INSERT INTO geo_boroughs VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
