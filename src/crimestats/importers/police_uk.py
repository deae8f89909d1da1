"""data.police.uk CSVs: street-level crime, outcomes and stop-and-search."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from crimestats.importers.base import Detected, ImportResult, forget_superseded_sources
from crimestats.importers.validation import (
    Check,
    ImportRejected,
    csv_source,
    first_bad_row,
    guarded,
    ident,
    is_blank,
    literal,
    load_csv,
    no_data_rows,
    not_coordinate,
    not_gss_code,
    not_year_month,
)
from crimestats.warehouse import (
    STREET_COUNTS_INSERT,
    STREET_FILE_COLUMNS,
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

#: A file's SHA-256, or the hashing of it still running in a thread (see ``_import_street``).
Digest = str | Future[str]


def _digest(digest: Digest) -> str:
    return digest if isinstance(digest, str) else digest.result()


KINDS = {
    "police_uk_street": (STREET, "data.police.uk street-level crime CSV"),
    "police_uk_outcomes": (OUTCOMES, "data.police.uk outcomes CSV"),
    "police_uk_stop_and_search": (STOP_SEARCH, "data.police.uk stop-and-search CSV"),
}


def detect(header: list[str], file_name: str) -> Detected | None:
    """Recognise a police.uk CSV by its exact header.

    A header sharing most of its columns with one of them is refused saying what differs.
    """
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
    columns, description = max(KINDS.values(), key=lambda k: len(set(k[0]) & set(header)))
    if len(set(columns) & set(header)) * 2 > len(columns):
        missing = [c for c in columns if c not in header]
        unexpected = [c for c in header if c not in columns]
        differences = [
            *([f"missing {', '.join(map(repr, missing))}"] if missing else []),
            *([f"unexpected {', '.join(map(repr, unexpected))}"] if unexpected else []),
        ] or ["the columns are in a different order"]
        raise ImportRejected(
            file_name, f"not the header of a {description}: {'; '.join(differences)}", row=0
        )
    return None


def _coordinate_checks(lon: str, lat: str) -> list[Check]:
    return [
        Check(lon, not_coordinate(lon, 180, lat), "not a longitude"),
        Check(lat, not_coordinate(lat, 90, lon), "not a latitude"),
    ]


def _lsoa_checks() -> list[Check]:
    """An LSOA code and name are both given or both blank (a crime with no location)."""
    code, name = ident("LSOA code"), ident("LSOA name")
    return [
        Check(
            "LSOA code",
            f"CASE WHEN {code} = '' THEN {name} != '' ELSE {not_gss_code('LSOA code')} END",
            "not a GSS code",
        ),
        Check("LSOA name", f"{code} != '' AND {is_blank('LSOA name')}", "no LSOA name"),
    ]


MONTH_CHECK = Check("Month", not_year_month("Month"), "not a month (YYYY-MM, 2000 to 2099)")

STREET_CHECKS = [
    MONTH_CHECK,
    Check("Reported by", is_blank("Reported by"), "no reporting force"),
    *_coordinate_checks("Longitude", "Latitude"),
    *_lsoa_checks(),
    Check("Crime type", is_blank("Crime type"), "no crime type"),
]
OUTCOME_CHECKS = [
    MONTH_CHECK,
    Check("Reported by", is_blank("Reported by"), "no reporting force"),
    *_coordinate_checks("Longitude", "Latitude"),
    *_lsoa_checks(),
    Check("Outcome type", is_blank("Outcome type"), "no outcome type"),
]
_ISO_DATE = "20[0-9]{2}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
STOP_SEARCH_CHECKS = [
    Check("Type", is_blank("Type"), "no search type"),
    Check(
        "Date",
        f"NOT coalesce(regexp_full_match({ident('Date')}, '{_ISO_DATE}') "
        f"AND try_cast({ident('Date')} AS TIMESTAMPTZ) IS NOT NULL, false)",
        "not a date and time (YYYY-MM-DDThh:mm:ss+00:00, 2000 to 2099)",
    ),
    *_coordinate_checks("Longitude", "Latitude"),
]


def _text(column: str) -> str:
    """A text column as stored: blank is NULL."""
    return f"nullif({ident(column)}, '')"


def stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str, detected: Detected) -> None:
    """Validate and load into ``stage_facts`` / ``stage_slices``."""
    columns = KINDS[detected.dataset][0]
    load_csv(con, path, file_name, columns)
    if detected.dataset == "police_uk_street":
        # Street files are written by :func:`import_street_files`; this only finds the bad row.
        first_bad_row(con, file_name, STREET_CHECKS, "raw")
        return
    elif detected.dataset == "police_uk_outcomes":
        first_bad_row(con, file_name, OUTCOME_CHECKS, "raw")
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE stage_facts AS
            SELECT 'police_uk' AS classification, 'lsoa' AS level, "Reported by" AS scope,
                   strptime("Month", '%Y-%m')::DATE AS month,
                   {_text("Crime ID")}, "Reported by", {_text("Falls within")},
                   {_text("Longitude")}::DOUBLE, {_text("Latitude")}::DOUBLE, {_text("Location")},
                   {_text("LSOA code")}, {_text("LSOA name")}, "Outcome type"
            FROM raw
            """
        )
    else:
        first_bad_row(con, file_name, STOP_SEARCH_CHECKS, "raw")
        optional = ", ".join(_text(c) for c in STOP_SEARCH[6:])
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE stage_facts AS
            SELECT 'police_uk' AS classification, 'point' AS level, ? AS scope,
                   date_trunc('month', "Date"::TIMESTAMPTZ AT TIME ZONE 'UTC')::DATE AS month,
                   "Type", "Date"::TIMESTAMPTZ, {_text("Latitude")}::DOUBLE,
                   {_text("Longitude")}::DOUBLE, {optional}
            FROM raw
            """,
            [detected.details.get("force", "unknown")],
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_slices AS SELECT classification, level, scope, "
        "month, count(*) AS rows FROM stage_facts GROUP BY ALL"
    )


#: Street columns whose values are few (forces, crime types, LSOAs): their checks run once per
#: distinct value of the new Parquet file, after the ``COPY`` and before it is registered, not
#: once per row inside it.  Stored as the file's text, except that a blank LSOA is NULL.
DISTINCT_CHECKED = {
    "Reported by": "reported_by",
    "Crime type": "crime_type",
    "LSOA code": "coalesce(lsoa_code, '')",
    "LSOA name": "coalesce(lsoa_name, '')",
}
#: Checked together, as pairs: the LSOA checks read both columns.
_DISTINCT_GROUPS = (("Reported by",), ("Crime type",), ("LSOA code", "LSOA name"))


def _street_select() -> str:
    """The one-pass read of street files: each value behind the checks of its column.

    The checks are :data:`STREET_CHECKS`, the ones :func:`stage` runs row by row, so a file
    refused here is refused there with its row; those of :data:`DISTINCT_CHECKED` columns run
    after, in :func:`_distinct_check`.  The borough is not worked out per row: it comes from
    the LSOA name, once per distinct name.
    """
    values = {
        "month": ("Month", "strptime(\"Month\", '%Y-%m')::DATE"),
        "crime_id": ("Crime ID", _text("Crime ID")),
        "reported_by": ("Reported by", ident("Reported by")),
        "falls_within": ("Falls within", _text("Falls within")),
        "longitude": ("Longitude", f"{_text('Longitude')}::DOUBLE"),
        "latitude": ("Latitude", f"{_text('Latitude')}::DOUBLE"),
        "location": ("Location", _text("Location")),
        "lsoa_code": ("LSOA code", _text("LSOA code")),
        "lsoa_name": ("LSOA name", _text("LSOA name")),
        "crime_type": ("Crime type", ident("Crime type")),
        "last_outcome": ("Last outcome category", _text("Last outcome category")),
        "context": ("Context", _text("Context")),
    }
    checked = {c.column for c in STREET_CHECKS}
    assert checked <= set(STREET) and [n for n, _ in STREET_FILE_COLUMNS] == [*values, "source_id"]
    per_row = [c for c in STREET_CHECKS if c.column not in DISTINCT_CHECKED]
    select = ",\n       ".join(
        f"{guarded(value, [c for c in per_row if c.column == column])} AS {name}"
        for name, (column, value) in values.items()
    )
    return (
        f"SELECT {select}, f.source_id\n"
        f"FROM {csv_source(STREET, '$files', filename=True)} r\n"
        "JOIN batch_files f ON r.filename = f.path"
    )


def _distinct_check_sql() -> str:
    """One query over the new Parquet file (``{rows}``) returning the reason of the first
    :data:`DISTINCT_CHECKED` check that a distinct value breaks, or no row.  Each check is the
    very predicate :func:`stage` runs row by row, over the value as the file wrote it."""
    parts = []
    for group in _DISTINCT_GROUPS:
        columns = ", ".join(f"{DISTINCT_CHECKED[c]} AS {ident(c)}" for c in group)
        for check in (c for c in STREET_CHECKS if c.column in group):
            parts.append(
                f"SELECT {literal(check.reason)} FROM (SELECT DISTINCT {columns} FROM {{rows}}) "
                f"WHERE coalesce({check.bad}, true)"
            )
    return "SELECT * FROM (" + " UNION ALL ".join(parts) + ") LIMIT 1"


# One pass over every file: read, validate and convert in the same SELECT, written straight to
# one Parquet file; then the few distinct forces, crime types and LSOAs of that file are
# checked.  A failed check (or a malformed row) raises, nothing is registered, and the caller
# runs the checks on that file alone to name the row and column.
_STREET_SELECT = _street_select()
_DISTINCT_CHECK = _distinct_check_sql()


def _distinct_check(con: duckdb.DuckDBPyConnection, path: Path, display: str) -> None:
    bad = con.execute(_DISTINCT_CHECK.replace("{rows}", parquet_rows([path]))).fetchone()
    if bad is not None:
        # The row is found by the caller's one-file retry (``stage``), as for a failed COPY.
        raise ImportRejected(display, str(bad[0]))


def import_street_files(
    wh: Warehouse,
    files: Sequence[tuple[Detected, Path, str, Digest]],
) -> list[ImportResult]:
    """Import street-level files ``(detected, path, display name, sha256)`` in one pass.

    A digest may be a :class:`~concurrent.futures.Future` still hashing the file: it is waited
    for after the rows are written, inside the same transaction.

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
    files: Sequence[tuple[Detected, Path, str, Digest]],
    paths: list[str],
    partial: Path,
    target: Path,
    retired: list[Path],
) -> list[ImportResult]:
    con = wh.con
    now = datetime.now(UTC)
    ids: list[int] = []
    for detected, _, display, _ in files:
        # The digest is filled in below, once the rows are written (see ``Digest``).
        row = con.execute(
            "INSERT INTO sources (file_name, sha256, format, dataset, rows, imported_at) "
            "VALUES (?, '', ?, 'police_uk_street', 0, ?) RETURNING id",
            [display, detected.description, now],
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
    _distinct_check(con, partial, files[0][2] if len(files) == 1 else "a file of the batch")
    partial.rename(target)
    digests = [_digest(digest) for _, _, _, digest in files]
    con.executemany(
        "UPDATE sources SET sha256 = ? WHERE id = ?", list(zip(digests, ids, strict=True))
    )
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
    for (_, _, display, _), source_id in zip(files, ids, strict=True):
        if not per_source[source_id]:
            raise no_data_rows(display)  # a header alone must not count as an import
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
    for (detected, _, display, _), digest, source_id in zip(files, digests, ids, strict=True):
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
