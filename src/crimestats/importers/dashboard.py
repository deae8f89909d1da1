"""MPS Monthly Crime Dashboard extracts (Parquet): flagged series such as knife crime."""

from __future__ import annotations

from pathlib import Path

import duckdb

from crimestats.geography import load_geography
from crimestats.importers.base import Detected
from crimestats.importers.validation import (
    Check,
    ImportRejected,
    duckdb_rejection,
    first_bad_row,
    is_blank,
    no_data_rows,
    not_whole_number,
    too_large,
)

REQUIRED = {
    "month_year",
    "area_type",
    "area_name",
    "area_code",
    "crime_type",
    "crime_subtype",
    "measure",
    "count",
}
LEVELS = {"borough": "borough", "safer neighbourhood teams": "snt"}


def detect(con: duckdb.DuckDBPyConnection, path: Path, file_name: str = "") -> Detected | None:
    """Recognise a dashboard extract by its columns; refuse a file that is not Parquet."""
    try:
        return _detect(con, path, file_name or path.name)
    except duckdb.Error as exc:
        raise ImportRejected(
            file_name or path.name, f"not a Parquet file, or it is damaged ({_short(exc)})"
        ) from exc


def _short(exc: duckdb.Error) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _detect(con: duckdb.DuckDBPyConnection, path: Path, file_name: str) -> Detected | None:
    columns = {
        r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    }
    if not columns >= REQUIRED:
        if len(columns & REQUIRED) * 2 > len(REQUIRED):
            missing = ", ".join(repr(c) for c in sorted(REQUIRED - columns))
            raise ImportRejected(
                file_name, f"not an MPS dashboard extract: missing column(s) {missing}", row=0
            )
        return None
    refreshed = ""
    if "refresh_date" in columns:
        value = con.execute("SELECT max(refresh_date) FROM read_parquet(?)", [str(path)]).fetchone()
        refreshed = str(value[0])[:10] if value and value[0] else ""
    types = con.execute(
        "SELECT string_agg(DISTINCT crime_type, ', ' ORDER BY crime_type) FROM read_parquet(?)",
        [str(path)],
    ).fetchone()
    return Detected(
        format_id="mps_dashboard",
        description=f"MPS Monthly Crime Dashboard extract (Parquet; {types[0] if types else ''})"
        + (f", refreshed {refreshed}" if refreshed else ""),
        dataset="mps_dashboard",
        classification="dashboard",
        level="borough+snt",
        vintage=refreshed,
    )


#: Counts are checked as text, so a fraction (2.5) or a float column is refused, not rounded.
CHECKS = [
    Check(
        "month_year",
        "NOT coalesce(year(try_cast(month_year AS DATE)) BETWEEN 2000 AND 2099, false)",
        "no month (or one outside 2000 to 2099)",
    ),
    Check(
        "area_type",
        "lower(trim(area_type)) NOT IN ('borough', 'safer neighbourhood teams') "
        "AND area_type IS NOT NULL",
        "unknown area type",
    ),
    Check("count", not_whole_number("count"), "not a whole number"),
    Check("count", too_large("count"), "more than one cell can hold (9,999,999)"),
    Check("crime_type", is_blank("crime_type"), "no crime type"),
]


def stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str, detected: Detected) -> None:
    """Validate and load into ``stage_facts`` / ``stage_slices``."""
    try:
        types = dict(
            con.execute(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                [str(path)],
            ).fetchall()
        )
        count = "count::VARCHAR"
        if types["count"] in ("FLOAT", "DOUBLE") or types["count"].startswith("DECIMAL"):
            # A number column: a whole value (3.0) is that number; anything else stays as
            # written (2.5), to be refused.
            count = (
                "CASE WHEN isfinite(count::DOUBLE) AND count::DOUBLE = trunc(count::DOUBLE) "
                "AND abs(count::DOUBLE) < 1e15 THEN trunc(count::DOUBLE)::BIGINT::VARCHAR "
                "ELSE count::VARCHAR END"
            )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS SELECT month_year, area_type, area_name, "
            f"area_code, crime_type, crime_subtype, measure, {count} AS count "
            "FROM read_parquet(?)",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise duckdb_rejection(file_name, exc) from exc
    if not (con.execute("SELECT count(*) FROM raw").fetchone() or (0,))[0]:
        raise no_data_rows(file_name)
    first_bad_row(con, file_name, CHECKS, "raw")
    geo = load_geography()
    con.execute("CREATE OR REPLACE TEMP TABLE dash_boroughs (name VARCHAR, code VARCHAR)")
    con.executemany(
        "INSERT INTO dash_boroughs VALUES (?, ?)", [(b.name.lower(), b.code) for b in geo.boroughs]
    )
    # Borough rows are keyed on the borough's GSS code (via its name, since non-borough rows have
    # no code); Safer Neighbourhood Team rows keep their ward code, trimmed (the extract pads some).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE stage_facts AS
        SELECT 'dashboard' AS classification, level, trim(crime_type) AS scope,
               date_trunc('month', month_year::DATE)::DATE AS month,
               area_code, any_value(area_name) AS area_name, any_value(borough_code) AS borough_code,
               category, sum(count::INTEGER)::INTEGER AS count
        FROM (
            SELECT CASE lower(trim(r.area_type)) WHEN 'borough' THEN 'borough' ELSE 'snt' END AS level,
                   r.crime_type, r.month_year,
                   CASE WHEN lower(trim(r.area_type)) = 'borough'
                        THEN coalesce(b.code, 'MPS-OTHER:' || coalesce(trim(r.area_name), 'unnamed'))
                        ELSE coalesce(trim(r.area_code), 'MPS-OTHER:' || coalesce(trim(r.area_name), 'unnamed'))
                   END AS area_code,
                   trim(r.area_name) AS area_name,
                   CASE WHEN lower(trim(r.area_type)) = 'borough' THEN b.code END AS borough_code,
                   trim(r.crime_type) || '/' || trim(r.crime_subtype) || '/' || trim(r.measure) AS category,
                   r.count
            FROM raw r LEFT JOIN dash_boroughs b ON lower(trim(r.area_name)) = b.name
            WHERE r.area_type IS NOT NULL
        )
        GROUP BY ALL
        """
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_slices AS "
        "SELECT classification, level, scope, month, count(*) AS rows FROM stage_facts GROUP BY ALL"
    )
