"""data.police.uk CSVs: street-level crime, outcomes and stop-and-search."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from crimestats.importers.base import (
    Detected,
    ImportResult,
    first_bad_row,
    forget_superseded_sources,
)
from crimestats.warehouse import (
    STREET_COUNTS_INSERT,
    STREET_LSOAS_INSERT,
    Warehouse,
    parquet_rows,
    sql_path,
)

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


STREET_CHECKS = [
    _month_check(),
    *_coordinate_checks("Longitude", "Latitude"),
    ("Crime type", "coalesce(trim(\"Crime type\"), '') = ''", "no crime type"),
    ("Reported by", "coalesce(trim(\"Reported by\"), '') = ''", "no reporting force"),
]


def stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str, detected: Detected) -> None:
    """Validate and load into ``stage_facts`` / ``stage_slices``."""
    columns = KINDS[detected.dataset][0]
    _read(con, path, columns)
    if detected.dataset == "police_uk_street":
        # Street files are written by :func:`import_street_files`; this only finds the bad row.
        first_bad_row(con, file_name, STREET_CHECKS, "raw")
        return
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


#: Column types for the one-pass read: coordinates parse as numbers, everything else is text.
STREET_TYPES = {c: "DOUBLE" if c in ("Longitude", "Latitude") else "VARCHAR" for c in STREET}

# One pass over every file: read, validate and convert in the same SELECT, written straight to
# one Parquet file.  A failed check (or a coordinate that is not a number) raises, nothing is
# registered, and the caller runs the checks above on that file alone to name the row and column.
# The checks are the ones above, written to be cheap on millions of rows: a text holding a letter
# or digit is not blank (so trim() only runs on the rest), and a month shaped DDDD-DD that
# strptime accepts is exactly what the month pattern allows (strptime refuses 00 and 13-99).
# The borough is not worked out per row: it comes from the LSOA name, once per distinct name.
_STREET_SELECT = """
SELECT CASE WHEN r."Month" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
            THEN strptime(r."Month", '%Y-%m')::DATE ELSE error('not a month') END AS month,
       r."Crime ID" AS crime_id,
       CASE WHEN r."Reported by" GLOB '*[A-Za-z0-9]*' THEN r."Reported by"
            WHEN coalesce(trim(r."Reported by"), '') = '' THEN error('no reporting force')
            ELSE r."Reported by" END AS reported_by,
       r."Falls within" AS falls_within,
       CASE WHEN r."Longitude" IS NULL OR r."Longitude" BETWEEN -180 AND 180 THEN r."Longitude"
            ELSE error('not a longitude') END AS longitude,
       CASE WHEN r."Latitude" IS NULL OR r."Latitude" BETWEEN -90 AND 90 THEN r."Latitude"
            ELSE error('not a latitude') END AS latitude,
       r."Location" AS location, r."LSOA code" AS lsoa_code, r."LSOA name" AS lsoa_name,
       CASE WHEN r."Crime type" GLOB '*[A-Za-z0-9]*' THEN r."Crime type"
            WHEN coalesce(trim(r."Crime type"), '') = '' THEN error('no crime type')
            ELSE r."Crime type" END AS crime_type,
       r."Last outcome category" AS last_outcome, r."Context" AS context, f.source_id
FROM read_csv($files, header = true, columns = {COLUMNS}, auto_detect = false,
              quote = '"', escape = '"', delim = ',', filename = true) r
JOIN batch_files f ON r.filename = f.path
""".replace("{COLUMNS}", "{" + ", ".join(f"'{c}': '{t}'" for c, t in STREET_TYPES.items()) + "}")


def import_street_files(
    wh: Warehouse,
    files: Sequence[tuple[Detected, Path, str, str]],
) -> list[ImportResult]:
    """Import street-level files ``(detected, path, display name, sha256)`` in one pass.

    Files are given oldest first; where two cover the same force and month the later one wins,
    exactly as if they had been imported one after another.  The rows go to one new Parquet
    file; everything else (provenance, slices, counts, the file's registration) is written in
    one transaction.  Raises :class:`duckdb.Error` (having rolled back and removed the file) if
    any row of any file fails a check.
    """
    paths = [str(path) for _, path, _, _ in files]
    if len(set(paths)) != len(paths):
        raise ValueError("a file appears twice in one batch")
    con = wh.con
    target = wh.street_dir / f"street-{uuid.uuid4().hex[:12]}.parquet"
    partial = target.with_suffix(".partial")
    retired: list[Path] = []
    con.execute("BEGIN TRANSACTION")
    try:
        results = _import_street_batch(wh, files, paths, partial, target, retired)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        partial.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    wh.retire_street_files(retired)  # files whose every slice has been replaced
    wh.refresh_street_view()
    return results


def _import_street_batch(
    wh: Warehouse,
    files: Sequence[tuple[Detected, Path, str, str]],
    paths: list[str],
    partial: Path,
    target: Path,
    retired: list[Path],
) -> list[ImportResult]:
    con = wh.con
    now = datetime.now(UTC)
    ids: list[int] = []
    for detected, _, display, digest in files:
        row = con.execute(
            "INSERT INTO sources (file_name, sha256, format, dataset, rows, imported_at) "
            "VALUES (?, ?, ?, 'police_uk_street', 0, ?) RETURNING id",
            [display, digest, detected.description, now],
        ).fetchone()
        ids.append(int(row[0]))  # type: ignore[index]
    con.execute("CREATE OR REPLACE TEMP TABLE batch_files (path VARCHAR, source_id INTEGER)")
    con.executemany("INSERT INTO batch_files VALUES (?, ?)", list(zip(paths, ids, strict=True)))
    # Row order inside the file means nothing (slices are found by column), so DuckDB may
    # write rows as its threads finish them.
    con.execute("SET preserve_insertion_order = false")
    try:
        con.execute(
            f"COPY ({_STREET_SELECT}) TO {sql_path(partial)} (FORMAT parquet)", {"files": paths}
        )
    finally:
        con.execute("RESET preserve_insertion_order")
    partial.rename(target)
    rows = parquet_rows([target])
    con.execute("INSERT INTO street_files SELECT ?, source_id FROM batch_files", [target.name])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE batch_slices AS SELECT source_id, reported_by AS scope, "
        f"month, count(*) AS n FROM {rows} GROUP BY ALL"
    )
    con.execute(STREET_LSOAS_INSERT.format(rows=rows))
    con.execute(STREET_COUNTS_INSERT.format(rows=rows))
    # What each slice held before this batch (for "replaced N earlier rows"): the view still
    # shows the warehouse as it was.
    before = {
        (scope, month): int(n)
        for scope, month, n in con.execute(
            "SELECT t.scope, t.month, count(*) FROM street_crimes t "
            "SEMI JOIN (SELECT DISTINCT scope, month FROM batch_slices) b "
            "ON t.scope = b.scope AND t.month = b.month GROUP BY ALL"
        ).fetchall()
    }
    per_source: dict[int, list[tuple[str, date, int]]] = {i: [] for i in ids}
    for source_id, scope, month, n in con.execute(
        "SELECT source_id, scope, month, n FROM batch_slices ORDER BY ALL"
    ).fetchall():
        per_source[int(source_id)].append((scope, month, int(n)))
    # The latest file covering a slice wins; the street_crimes view hides every other row of
    # that slice, and the counts of the others go.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE batch_winners AS SELECT scope, month, max(source_id) AS "
        "source_id FROM batch_slices GROUP BY ALL"
    )
    con.execute(
        "DELETE FROM street_counts t USING batch_winners w WHERE t.scope = w.scope "
        "AND t.month = w.month AND t.source_id != w.source_id"
    )
    con.execute(
        "DELETE FROM slices t USING batch_winners w WHERE t.dataset = 'police_uk_street' "
        "AND t.classification = 'police_uk' AND t.level = 'lsoa' AND t.scope = w.scope "
        "AND t.month = w.month"
    )
    con.execute(
        "INSERT INTO slices SELECT 'police_uk_street', 'police_uk', 'lsoa', scope, month, "
        "source_id FROM batch_winners"
    )
    results = []
    for (detected, _, display, digest), source_id in zip(files, ids, strict=True):
        slices = per_source[source_id]
        n_rows = sum(n for _, _, n in slices)
        months = [m for _, m, _ in slices]
        replaced = sum(before.get((scope, month), 0) for scope, month, _ in slices)
        for scope, month, n in slices:
            before[(scope, month)] = n
        con.execute(
            "UPDATE sources SET rows = ?, month_from = ?, month_to = ? WHERE id = ?",
            [n_rows, min(months, default=None), max(months, default=None), source_id],
        )
        results.append(
            ImportResult(
                display,
                "imported",
                format=detected.description,
                rows=n_rows,
                month_from=min(months, default=None),
                month_to=max(months, default=None),
                sha256=digest,
                replaced_rows=replaced,
            )
        )
    forget_superseded_sources(con)
    retired.extend(wh.street_dir / name for name in _retire_street_files(con))
    return results


def _retire_street_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Unregister street files none of whose imports holds a slice any more; return their names."""
    names = [
        name
        for (name,) in con.execute(
            "SELECT file_name FROM street_files GROUP BY file_name HAVING NOT bool_or("
            "source_id IN (SELECT source_id FROM slices WHERE dataset = 'police_uk_street'))"
        ).fetchall()
    ]
    if names:
        con.execute("DELETE FROM street_files WHERE list_contains(?, file_name)", [names])
    return names
