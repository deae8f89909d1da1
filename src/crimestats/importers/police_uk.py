"""data.police.uk CSVs: street-level crime, outcomes and stop-and-search."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from crimestats.importers.base import Detected, first_bad_row

STREET = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOMES = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
]
STOP_SEARCH = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
FILE_NAME = re.compile(r"(?P<month>\d{4}-\d{2})-(?P<force>.+?)-(street|outcomes|stop-and-search)\b")

KINDS = {
    "police_uk_street": (STREET, "data.police.uk street-level crime CSV"),
    "police_uk_outcomes": (OUTCOMES, "data.police.uk outcomes CSV"),
    "police_uk_stop_and_search": (STOP_SEARCH, "data.police.uk stop-and-search CSV"),
}


def detect(header: list[str], file_name: str) -> Detected | None:
    """Recognise a police.uk CSV by its exact header."""
    for dataset, (columns, description) in KINDS.items():
        if header == columns:
            m = FILE_NAME.search(file_name)
            return Detected(
                format_id=dataset,
                description=description,
                dataset=dataset,
                classification="police_uk",
                level="lsoa" if dataset != "police_uk_stop_and_search" else "point",
                vintage=m.group("month") if m else "",
                details={"force": m.group("force") if m else "unknown"},
            )
    return None


def _read(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> None:
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(?, header = true, "
        f"columns = {spec}, auto_detect = false, quote = '\"', escape = '\"', delim = ',')",
        [str(path)],
    )


def _coordinate_checks(lon: str, lat: str) -> list[tuple[str, str, str]]:
    return [
        (
            lon,
            f"nullif(trim(\"{lon}\"), '') IS NOT NULL AND "
            f'coalesce(try_cast("{lon}" AS DOUBLE) NOT BETWEEN -180 AND 180, true)',
            "not a longitude",
        ),
        (
            lat,
            f"nullif(trim(\"{lat}\"), '') IS NOT NULL AND "
            f'coalesce(try_cast("{lat}" AS DOUBLE) NOT BETWEEN -90 AND 90, true)',
            "not a latitude",
        ),
    ]


def _month_check() -> tuple[str, str, str]:
    return (
        "Month",
        "NOT coalesce(regexp_full_match(\"Month\", '\\d{4}-(0[1-9]|1[0-2])'), false)",
        "not a month (YYYY-MM)",
    )


def stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str, detected: Detected) -> None:
    """Validate and load into ``stage_facts`` / ``stage_slices``."""
    columns = KINDS[detected.dataset][0]
    _read(con, path, columns)
    if detected.dataset == "police_uk_street":
        first_bad_row(
            con,
            file_name,
            [
                _month_check(),
                *_coordinate_checks("Longitude", "Latitude"),
                ("Crime type", "coalesce(trim(\"Crime type\"), '') = ''", "no crime type"),
                ("Reported by", "coalesce(trim(\"Reported by\"), '') = ''", "no reporting force"),
            ],
            "raw",
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE stage_facts AS
            SELECT 'police_uk' AS classification, 'lsoa' AS level, "Reported by" AS scope,
                   strptime("Month", '%Y-%m')::DATE AS month,
                   "Crime ID", "Reported by", "Falls within",
                   "Longitude"::DOUBLE, "Latitude"::DOUBLE, "Location",
                   "LSOA code", "LSOA name",
                   regexp_replace("LSOA name", '\\s+\\d{3}[A-Z]$', '') AS borough_name,
                   "Crime type", "Last outcome category", "Context"
            FROM raw
            """
        )
    elif detected.dataset == "police_uk_outcomes":
        first_bad_row(
            con,
            file_name,
            [
                _month_check(),
                *_coordinate_checks("Longitude", "Latitude"),
                ("Outcome type", "coalesce(trim(\"Outcome type\"), '') = ''", "no outcome type"),
                ("Reported by", "coalesce(trim(\"Reported by\"), '') = ''", "no reporting force"),
            ],
            "raw",
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE stage_facts AS
            SELECT 'police_uk' AS classification, 'lsoa' AS level, "Reported by" AS scope,
                   strptime("Month", '%Y-%m')::DATE AS month,
                   "Crime ID", "Reported by", "Falls within",
                   "Longitude"::DOUBLE, "Latitude"::DOUBLE, "Location",
                   "LSOA code", "LSOA name", "Outcome type"
            FROM raw
            """
        )
    else:
        first_bad_row(
            con,
            file_name,
            [
                ("Date", 'try_cast("Date" AS TIMESTAMPTZ) IS NULL', "not a date and time"),
                *_coordinate_checks("Longitude", "Latitude"),
                ("Type", "coalesce(trim(\"Type\"), '') = ''", "no search type"),
            ],
            "raw",
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE stage_facts AS
            SELECT 'police_uk' AS classification, 'point' AS level, ? AS scope,
                   date_trunc('month', "Date"::TIMESTAMPTZ AT TIME ZONE 'UTC')::DATE AS month,
                   "Type", "Date"::TIMESTAMPTZ, "Latitude"::DOUBLE, "Longitude"::DOUBLE,
                   "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
                   "Legislation", "Object of search", "Outcome",
                   "Outcome linked to object of search", "Removal of more than just outer clothing"
            FROM raw
            """,
            [detected.details.get("force", "unknown")],
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_slices AS "
        "SELECT DISTINCT classification, level, scope, month FROM stage_facts"
    )
