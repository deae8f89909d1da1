"""MPS Monthly Crime Dashboard extracts (Parquet): flagged series such as knife crime."""

from __future__ import annotations

from pathlib import Path

import duckdb

from crimestats.geography import load_geography
from crimestats.importers.base import Detected, first_bad_row

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


def detect(con: duckdb.DuckDBPyConnection, path: Path) -> Detected | None:
    """Recognise a dashboard extract by its columns."""
    columns = {
        r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    }
    if not columns >= REQUIRED:
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


def stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str, detected: Detected) -> None:
    """Validate and load into ``stage_facts`` / ``stage_slices``."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw AS SELECT month_year, area_type, area_name, "
        "area_code, crime_type, crime_subtype, measure, count FROM read_parquet(?)",
        [str(path)],
    )
    first_bad_row(
        con,
        file_name,
        [
            (
                "month_year",
                "month_year IS NULL OR try_cast(month_year AS DATE) IS NULL",
                "no month",
            ),
            (
                "area_type",
                "lower(trim(area_type)) NOT IN ('borough', 'safer neighbourhood teams') "
                "AND area_type IS NOT NULL",
                "unknown area type",
            ),
            (
                "count",
                "count IS NULL OR try_cast(count AS BIGINT) IS NULL OR try_cast(count AS BIGINT) < 0",
                "not a whole number",
            ),
            ("crime_type", "coalesce(trim(crime_type), '') = ''", "no crime type"),
        ],
        "raw",
    )
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
               category, sum(count)::INTEGER AS count
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
        "SELECT DISTINCT classification, level, scope, month FROM stage_facts"
    )
