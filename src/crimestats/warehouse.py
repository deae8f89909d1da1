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
    crime_type VARCHAR, last_outcome VARCHAR, context VARCHAR, source_id INTEGER,
    borough_code VARCHAR
);
-- Monthly counts of street_crimes by LSOA and crime type, for LSOAs in the package's geography
-- (the 32 London boroughs): written by the importer, read by the figures.
CREATE TABLE IF NOT EXISTS street_counts (
    scope VARCHAR, month DATE, lsoa_code VARCHAR, borough_code VARCHAR, crime_type VARCHAR,
    count INTEGER, source_id INTEGER
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
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
"""

#: Version 2 added ``street_crimes.borough_code`` and ``street_counts``.
SCHEMA_VERSION = 2

#: The columns of ``street_crimes`` in order, for inserts that name them.
STREET_COLUMNS = (
    "classification, level, scope, month, crime_id, reported_by, falls_within, longitude, "
    "latitude, location, lsoa_code, lsoa_name, borough_name, crime_type, last_outcome, context, "
    "source_id, borough_code"
)

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
        if not read_only:
            self._migrate()
        self.has_street_counts = bool(
            self.con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'street_counts' "
                "AND NOT temporary"
            ).fetchone()[0]  # type: ignore[index]
        )

    def _migrate(self) -> None:
        """Bring a warehouse written by an earlier version up to :data:`SCHEMA_VERSION`."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row and int(row[0]) >= SCHEMA_VERSION:
            return
        self.con.execute("BEGIN TRANSACTION")
        self.con.execute("ALTER TABLE street_crimes ADD COLUMN IF NOT EXISTS borough_code VARCHAR")
        self.con.execute(
            "UPDATE street_crimes s SET borough_code = g.code FROM geo_boroughs g "
            "WHERE lower(s.borough_name) = lower(g.name) AND s.borough_code IS NULL"
        )
        self.con.execute("DELETE FROM street_counts")
        self.con.execute(
            "INSERT INTO street_counts SELECT scope, month, lsoa_code, borough_code, crime_type, "
            "count(*), source_id FROM street_crimes WHERE borough_code IS NOT NULL GROUP BY ALL"
        )
        self.con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        self.con.execute("COMMIT")

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
