"""The embedded warehouse: one DuckDB file under the data directory, with police.uk street rows
in Parquet files beside it (ADR 0103).

Readers never wait for an import, and an import never sees a reader (ADR 0104): the database
file is never written in place. Opening for writing takes the import lock (imports take turns),
copies the file to a private staging file and works there; closing publishes the staging file
over the database with one atomic rename. Opening for reading attaches the current file
read-only, so a reader keeps the version it opened while an import works on the next.
Temporary files (zip members, uploads, downloads) go in folders under ``<name>-tmp/``, each
locked by its process while in use, and any left by a process that has gone are removed at the
next open (`crimestats.locks`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import duckdb

from crimestats.config import warehouse_path
from crimestats.geography import load_geography
from crimestats.locks import (
    ImportLock,
    scratch,
    scratch_root,
    sweep_scratch,
)

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
-- police.uk street rows live in Parquet files beside this database (see Warehouse.street_dir);
-- this registry says which files hold which imports.  Rows are visible through the temporary
-- view street_crimes only while their (scope, month, source_id) is the slice's winner.
CREATE TABLE IF NOT EXISTS street_files (file_name VARCHAR, source_id INTEGER);
-- The borough of every LSOA name seen in street rows (the name is "<borough> 014A").
CREATE TABLE IF NOT EXISTS street_lsoas (
    lsoa_name VARCHAR PRIMARY KEY, borough_name VARCHAR, borough_code VARCHAR
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
-- Residents by area and year (ONS mid-year estimates by LSOA 2021), for rates per 1,000.
CREATE TABLE IF NOT EXISTS populations (
    level VARCHAR, code VARCHAR, year INTEGER, population INTEGER, source_id INTEGER,
    PRIMARY KEY (level, code, year)
);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
"""

#: Version 2 added ``street_crimes.borough_code`` and ``street_counts``; version 3 moved street
#: rows out of the database into Parquet files (ADR 0103).
SCHEMA_VERSION = 3

#: The columns of a street Parquet file, in order.
STREET_FILE_COLUMNS = (
    ("month", "DATE"),
    ("crime_id", "VARCHAR"),
    ("reported_by", "VARCHAR"),
    ("falls_within", "VARCHAR"),
    ("longitude", "DOUBLE"),
    ("latitude", "DOUBLE"),
    ("location", "VARCHAR"),
    ("lsoa_code", "VARCHAR"),
    ("lsoa_name", "VARCHAR"),
    ("crime_type", "VARCHAR"),
    ("last_outcome", "VARCHAR"),
    ("context", "VARCHAR"),
    ("source_id", "INTEGER"),
)

# The street rows as the rest of the package reads them: only each slice's current rows, with
# the slice columns and the borough added.  Same columns as the table of schema version 2.
_STREET_VIEW = """
CREATE OR REPLACE TEMP VIEW street_crimes AS
SELECT 'police_uk' AS classification, 'lsoa' AS level, r.reported_by AS scope, r.month,
       r.crime_id, r.reported_by, r.falls_within, r.longitude, r.latitude, r.location,
       r.lsoa_code, r.lsoa_name, l.borough_name, r.crime_type, r.last_outcome, r.context,
       r.source_id, l.borough_code
FROM (SELECT f.* FROM {rows} f
      SEMI JOIN (SELECT scope, month, source_id FROM slices WHERE dataset = 'police_uk_street') s
      ON f.reported_by = s.scope AND f.month = s.month AND f.source_id = s.source_id) r
LEFT JOIN street_lsoas l ON r.lsoa_name = l.lsoa_name
"""

#: Boroughs for LSOA names not seen before, from the rows of ``{rows}``.
STREET_LSOAS_INSERT = """
INSERT INTO street_lsoas
SELECT n.lsoa_name, n.borough_name, g.code
FROM (SELECT lsoa_name, regexp_replace(lsoa_name, '\\s+\\d{{3}}[A-Z]$', '') AS borough_name
      FROM (SELECT DISTINCT lsoa_name FROM {rows} WHERE lsoa_name IS NOT NULL)
      WHERE lsoa_name NOT IN (SELECT lsoa_name FROM street_lsoas)) n
LEFT JOIN geo_boroughs g ON lower(n.borough_name) = lower(g.name)
"""

#: Monthly counts by LSOA and crime type for the London boroughs, from the rows of ``{rows}``.
STREET_COUNTS_INSERT = """
INSERT INTO street_counts
SELECT r.reported_by, r.month, r.lsoa_code, l.borough_code, r.crime_type, count(*), r.source_id
FROM {rows} r JOIN street_lsoas l ON r.lsoa_name = l.lsoa_name
WHERE l.borough_code IS NOT NULL GROUP BY ALL
"""


def sql_path(path: Path) -> str:
    """PATH as an SQL string literal (DuckDB's COPY and read_parquet take no parameters here)."""
    return "'" + str(path).replace("'", "''") + "'"


def parquet_rows(paths: list[Path]) -> str:
    """A FROM-clause item reading the street Parquet files PATHS (never empty)."""
    return f"read_parquet([{', '.join(sql_path(p) for p in paths)}])"


#: Which fact table holds each dataset written through staged facts.  Street-level rows are
#: not here: they go to Parquet (``police_uk.import_street_files``).
FACT_TABLES = {
    "mps_wide": "mps_counts",
    "mps_dashboard": "dashboard_counts",
    "police_uk_outcomes": "outcomes",
    "police_uk_stop_and_search": "stop_search",
}


_STAGING = ".staging-"


class WarehouseDamaged(RuntimeError):
    """The database refers to street files that are not there."""


def _wal(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Warehouse:
    """An open connection to the warehouse, with the schema in place.

    Opened for writing (the default) it holds the import lock and works on a staging copy
    that :meth:`close` publishes atomically; leaving a ``with`` block by an exception, or
    :meth:`abandon`, throws the copy away and the warehouse stays as it was. Opened with
    ``read_only`` it reads the version current at that moment and takes no lock. ``wait`` is
    how long a writable open waits for another import to finish before raising
    :class:`crimestats.locks.WarehouseLocked`.

    >>> with Warehouse(":memory:") as wh:
    ...     wh.con.execute("select count(*) from sources").fetchone()
    (0,)
    """

    con: duckdb.DuckDBPyConnection

    def __init__(
        self, path: Path | str | None = None, *, read_only: bool = False, wait: float = 0.0
    ) -> None:
        target = str(path) if path is not None else str(warehouse_path())
        self.path = target
        self.read_only = read_only
        self._scratch: str | None = None
        self._staging: Path | None = None
        self._lock: ImportLock | None = None
        self._retired: list[Path] = []
        self._closed = False
        database = Path(target)
        if target == ":memory:" or (read_only and not database.exists()):
            # In memory, or reading a warehouse not yet made: empty, and nothing on disk.
            self._scratch = tempfile.mkdtemp(prefix="crimestats-street-")
            self.street_dir = Path(self._scratch) / "street"
            self.scratch_root = Path(self._scratch) / "tmp"
            self.street_dir.mkdir()
            self.con = duckdb.connect(":memory:")
            self._guarded(lambda: self._open(False))
            return
        database.parent.mkdir(parents=True, exist_ok=True)
        #: Where the street Parquet files live: beside the database file.
        self.street_dir = database.with_name(database.stem + "-street")
        #: Where temporary folders go (see :meth:`scratch`).
        self.scratch_root = scratch_root(database)
        sweep_scratch(self.scratch_root)
        if read_only:
            self._open_reader(database)
        else:
            self._open_writer(database, wait)

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except BaseException:
            self.abandon()
            raise

    def _open_reader(self, database: Path) -> None:
        """Attach the current database file read-only (not through DuckDB's per-path instance
        cache, which would keep serving a file an import has since replaced)."""
        for attempt in range(3):
            before = _inode(database)
            self.con = duckdb.connect(":memory:")
            try:
                self.con.execute(f"ATTACH {sql_path(database)} AS warehouse (READ_ONLY)")
                self.con.execute("USE warehouse")
                self._open(True)
                return
            except WarehouseDamaged:
                # An import published a new version (and retired files of this one) while
                # this one was being opened: open the new one.
                self.con.close()
                if attempt == 2 or _inode(database) == before:
                    self._closed = True
                    raise
            except BaseException:
                self.abandon()
                raise

    def _open_writer(self, database: Path, wait: float) -> None:
        self._lock = ImportLock(database, wait=wait)
        try:
            for stale in database.parent.iterdir():  # left by an import that was killed
                if stale.name.startswith(f".{database.name}{_STAGING}"):
                    stale.unlink(missing_ok=True)
            staging = database.with_name(
                f".{database.name}{_STAGING}{os.getpid()}-{secrets.token_hex(4)}"
            )
            self._staging = staging
            if database.exists():
                shutil.copyfile(database, staging)
                if _wal(database).exists():  # written in place by an earlier version
                    shutil.copyfile(_wal(database), _wal(staging))
            self.con = duckdb.connect(str(staging))
        except BaseException:
            self._discard_staging()
            self._release()
            raise
        self._guarded(lambda: self._open(False))

    @property
    def database_file(self) -> str:
        """The file this connection works on: the staging copy while open for writing."""
        return str(self._staging) if self._staging is not None else self.path

    @contextlib.contextmanager
    def scratch(self, kind: str) -> Iterator[Path]:
        """A private temporary folder for this process (see :func:`scratch`)."""
        with scratch(self.scratch_root, kind) as folder:
            yield folder

    def _open(self, read_only: bool) -> None:
        if not read_only:
            self.con.execute(SCHEMA)
        self._register_geography()
        #: True when street rows still sit in a table of schema version 1 or 2 (read-only open).
        self.legacy_street_table = self._has_table("street_crimes")
        if not read_only:
            self.street_dir.mkdir(parents=True, exist_ok=True)
            self._migrate()
            self.legacy_street_table = False
            self._remove_unregistered_files()
        self.has_street_counts = self._has_table("street_counts")
        if not self.legacy_street_table:
            self.refresh_street_view()

    def _has_table(self, name: str) -> bool:
        row = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [name]
        ).fetchone()
        return bool(row and row[0])

    def street_files(self) -> list[Path]:
        """The street Parquet files that hold any current rows, oldest first."""
        names = self.con.execute(
            "SELECT file_name FROM street_files GROUP BY file_name ORDER BY min(source_id)"
        ).fetchall()
        return [self.street_dir / name for (name,) in names]

    def copy_to(self, target: Path) -> None:
        """Copy the warehouse (database file and street files) to the database path TARGET."""
        self.con.execute("CHECKPOINT")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.database_file, target)
        shutil.copytree(
            self.street_dir, target.with_name(target.stem + "-street"), dirs_exist_ok=True
        )

    def retire_street_files(self, paths: list[Path]) -> None:
        """Street files no slice uses any more: deleted once no new reader can see them (at
        publication; at once in memory)."""
        if self._staging is None:
            for path in paths:
                path.unlink(missing_ok=True)
        else:
            self._retired.extend(paths)

    def refresh_street_view(self) -> None:
        """(Re)define the ``street_crimes`` view over the registered Parquet files."""
        files = self.street_files()
        missing = [p for p in files if not p.exists()]
        if missing:
            raise WarehouseDamaged(
                f"{len(missing)} street-level data file(s) are missing from {self.street_dir} "
                f"(first: {missing[0].name}). The database and this directory are one warehouse: "
                "restore both from the same backup, or remove both and import again."
            )
        if files:
            rows = parquet_rows(files)
        else:
            columns = ", ".join(f"{c} {t}" for c, t in STREET_FILE_COLUMNS)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE street_none ({columns})")
            rows = "street_none"
        self.con.execute(_STREET_VIEW.format(rows=rows))

    def _remove_unregistered_files(self) -> None:
        """Delete Parquet files no committed import refers to (left by an interrupted import)."""
        registered = {p.name for p in self.street_files()}
        for path in self.street_dir.iterdir():
            if path.is_file() and path.name not in registered:
                path.unlink(missing_ok=True)

    def _migrate(self) -> None:
        """Bring a warehouse written by an earlier version up to :data:`SCHEMA_VERSION`."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row and int(row[0]) >= SCHEMA_VERSION:
            return
        written: Path | None = None
        self.con.execute("BEGIN TRANSACTION")
        try:
            if self._has_table("street_crimes"):
                written = self._move_street_rows_to_parquet()
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            if written:
                written.unlink(missing_ok=True)
            raise

    def _move_street_rows_to_parquet(self) -> Path:
        """Schema 1/2 kept street rows in a table: write its current rows to one Parquet file."""
        target = self.street_dir / f"street-migrated-{uuid.uuid4().hex[:12]}.parquet"
        columns = ", ".join(c for c, _ in STREET_FILE_COLUMNS)
        self.con.execute(
            f"COPY (SELECT {columns} FROM street_crimes) TO {sql_path(target)} (FORMAT parquet)"
        )
        self.con.execute(
            "INSERT INTO street_files SELECT DISTINCT ?, source_id FROM street_crimes",
            [target.name],
        )
        rows = parquet_rows([target])
        self.con.execute(STREET_LSOAS_INSERT.format(rows=rows))
        self.con.execute("DELETE FROM street_counts")
        self.con.execute(STREET_COUNTS_INSERT.format(rows=rows))
        self.con.execute("DROP TABLE street_crimes")
        return target

    def _register_geography(self) -> None:
        geo = load_geography()
        rows = [(b.code, b.name, geo.bcu(b).code) for b in geo.boroughs]
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE geo_boroughs (code VARCHAR, name VARCHAR, bcu VARCHAR)"
        )
        self.con.executemany("INSERT INTO geo_boroughs VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        """Close the connection; opened for writing, publish what was written."""
        if self._closed:
            return
        if self._staging is None:
            self._closed = True
            self.con.close()
            self._release()
            return
        try:
            self.con.execute("CHECKPOINT")  # everything into the file, no WAL beside it
            self.con.close()
            self._publish(self._staging, Path(self.path))
        except BaseException:
            self.abandon()
            raise
        self._closed = True
        self._release()
        for path in self._retired:
            path.unlink(missing_ok=True)

    def _publish(self, staging: Path, database: Path) -> None:
        _fsync(staging)
        _wal(database).unlink(missing_ok=True)  # it belonged to the old file
        os.replace(staging, database)
        with contextlib.suppress(OSError):
            _fsync(database.parent)

    def abandon(self) -> None:
        """Close without publishing: the warehouse stays as it was when opened."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self.con.close()
        self._discard_staging()
        self._release()

    def _discard_staging(self) -> None:
        if self._staging is not None:
            self._staging.unlink(missing_ok=True)
            _wal(self._staging).unlink(missing_ok=True)

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None
