"""What every importer shares: the detected format, the result record and the atomic writer.

The rejection error and the checks live in :mod:`crimestats.importers.validation`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from crimestats.importers.validation import ImportRejected, no_data_rows
from crimestats.warehouse import FACT_TABLES

__all__ = ["Detected", "ImportRejected", "ImportResult", "sha256_of", "write_staged_facts"]


@dataclass
class Detected:
    """A recognised file format, and what to say about it."""

    format_id: str
    description: str
    dataset: str
    classification: str
    level: str
    vintage: str = ""
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    """What happened to one file."""

    file_name: str
    status: str  # "imported" or "rejected"
    format: str = ""
    rows: int = 0
    month_from: date | None = None
    month_to: date | None = None
    sha256: str = ""
    replaced_rows: int = 0
    error: str = ""


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def data_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> tuple | None:
    """First row of a query, or None."""
    return con.execute(sql, params or []).fetchone()


def write_staged_facts(
    con: duckdb.DuckDBPyConnection,
    *,
    detected: Detected,
    file_name: str,
    sha256: str,
) -> ImportResult:
    """Replace the slices covered by ``stage_facts`` with its rows, and record provenance.

    ``stage_slices`` has a column ``rows``: how many rows of the file give each slice its
    values.  A slice no row backs is never written, so no import empties a month because a
    file names it and says nothing about it (a file whose rows give a month zeros does say
    something, and is written).  Must run inside the caller's transaction: the caller commits
    or rolls back.
    """
    table = FACT_TABLES[detected.dataset]
    unbacked = con.execute(
        "SELECT count(*), min(month) FILTER (coalesce(rows, 0) = 0) FROM stage_slices"
    ).fetchone()
    if not unbacked or not unbacked[0]:
        raise no_data_rows(file_name)
    if unbacked[1] is not None:
        raise no_data_rows(file_name, f"{unbacked[1]:%Y-%m}")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE new_slices AS "
        "SELECT DISTINCT classification, level, scope, month FROM stage_slices"
    )
    replaced = con.execute(
        f"SELECT count(*) FROM {table} t JOIN new_slices s USING (classification, level, scope, month)"
    ).fetchone()
    con.execute(
        f"DELETE FROM {table} t USING new_slices s WHERE t.classification = s.classification "
        "AND t.level = s.level AND t.scope = s.scope AND t.month = s.month"
    )
    con.execute(
        "DELETE FROM slices t USING new_slices s WHERE t.dataset = ? AND "
        "t.classification = s.classification AND t.level = s.level AND t.scope = s.scope "
        "AND t.month = s.month",
        [detected.dataset],
    )
    (rows,) = con.execute("SELECT count(*) FROM stage_facts").fetchone() or (0,)
    month_from, month_to = con.execute(
        "SELECT min(month), max(month) FROM stage_slices"
    ).fetchone() or (None, None)
    source_id = con.execute(
        "INSERT INTO sources (file_name, sha256, format, dataset, rows, month_from, month_to, "
        "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            file_name,
            sha256,
            detected.description,
            detected.dataset,
            rows,
            month_from,
            month_to,
            datetime.now(UTC),
        ],
    ).fetchone()[0]  # type: ignore[index]
    con.execute(f"INSERT INTO {table} SELECT *, ? FROM stage_facts", [source_id])
    con.execute(
        "INSERT INTO slices SELECT ?, classification, level, scope, month, ? FROM new_slices",
        [detected.dataset, source_id],
    )
    forget_superseded_sources(con)
    return ImportResult(
        file_name=file_name,
        status="imported",
        format=detected.description,
        rows=int(rows),
        month_from=month_from,
        month_to=month_to,
        sha256=sha256,
        replaced_rows=int(replaced[0]) if replaced else 0,
    )


def forget_superseded_sources(con: duckdb.DuckDBPyConnection) -> None:
    """Drop provenance for imports whose every slice has since been replaced."""
    con.execute(
        "DELETE FROM sources WHERE dataset NOT IN ('boundaries', 'population') "
        "AND id NOT IN (SELECT DISTINCT source_id FROM slices)"
    )
    con.execute(
        "DELETE FROM sources WHERE dataset = 'boundaries' "
        "AND id NOT IN (SELECT DISTINCT source_id FROM boundaries)"
    )
    con.execute(
        "DELETE FROM sources WHERE dataset = 'population' "
        "AND id NOT IN (SELECT DISTINCT source_id FROM populations)"
    )
