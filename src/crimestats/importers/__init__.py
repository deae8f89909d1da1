"""Import files, folders and zips into the warehouse, detecting each file's format.

Each file is validated and written in its own transaction: a bad file changes nothing and is
reported with file, row, column and reason, while the other files still load.  Within one call,
files of the same dataset are applied oldest first (by the last month they cover, or the
dashboard's refresh date) so a newer refresh of a month replaces an older one.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crimestats.importers import boundaries, dashboard, mps, police_uk
from crimestats.importers.base import (
    Detected,
    ImportRejected,
    ImportResult,
    forget_superseded_sources,
    sha256_of,
    write_staged_facts,
)
from crimestats.warehouse import Warehouse

__all__ = ["Detected", "ImportRejected", "ImportResult", "detect_format", "import_paths"]

#: Shapefile companions and documentation travel with data but are not data themselves.
SIDECARS = {".dbf", ".shx", ".prj", ".cpg", ".sbn", ".sbx", ".xml", ".md", ".txt"}
DATASET_ORDER = [
    "boundaries",
    "mps_wide",
    "mps_dashboard",
    "police_uk_street",
    "police_uk_outcomes",
    "police_uk_stop_and_search",
]


def detect_format(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> Detected:
    """Say what a file is, or raise :class:`ImportRejected` explaining why it is not recognised."""
    suffix = path.suffix.lower()
    name = path.name
    if suffix == ".csv":
        header, sample = _csv_head(path)
        found = police_uk.detect(header, name) or mps.detect(header, sample)
        if found:
            return found
        raise ImportRejected(
            name,
            f"CSV header not recognised as police.uk or MPS (starts {', '.join(header[:5])})",
            row=0,
        )
    if suffix == ".parquet":
        found = dashboard.detect(con or duckdb.connect(), path)
        if found:
            return found
        raise ImportRejected(name, "Parquet columns not recognised as an MPS dashboard extract")
    if suffix in (".geojson", ".json", ".shp"):
        found = boundaries.detect(path)
        if found:
            return found
        raise ImportRejected(name, "no property holding GSS codes, or no features")
    raise ImportRejected(name, f"unsupported file type {suffix or '(none)'}")


def import_paths(
    paths: Iterable[Path | str],
    warehouse: Warehouse,
    *,
    quiet: bool = False,
    console: Console | None = None,
) -> list[ImportResult]:
    """Import every file under ``paths``; returns one result per file, imported or rejected."""
    console = console or Console(stderr=True)
    results: list[ImportResult] = []
    with _expanded(paths, warehouse) as files:
        planned: list[tuple[Detected, Path, str]] = []
        for path, display in files:
            try:
                planned.append((detect_format(path, warehouse.con), path, display))
            except ImportRejected as exc:
                results.append(ImportResult(display, "rejected", error=str(exc)))
        planned.sort(key=lambda p: (DATASET_ORDER.index(p[0].dataset), p[0].vintage, p[2]))
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=quiet,
            transient=False,
        ) as progress:
            task = progress.add_task("Importing", total=len(planned))
            for batch in _batches(planned):
                detected, path, display = batch[0]
                if detected.dataset == "police_uk_street":
                    label = display if len(batch) == 1 else f"{len(batch)} street-level files"
                    progress.update(task, description=f"Importing {_short(label)}")
                    results.extend(_import_street(warehouse, batch))
                else:
                    progress.update(task, description=f"Importing {_short(display)}")
                    results.append(_import_one(warehouse, detected, path, display))
                progress.advance(task, len(batch))
    if not quiet:
        for r in results:
            if r.status == "imported":
                console.print(
                    f"[green]imported[/] {r.file_name}: {r.format}; {r.rows:,} rows"
                    + (
                        f", {r.month_from:%Y-%m} to {r.month_to:%Y-%m}"
                        if r.month_from and r.month_to
                        else ""
                    )
                    + (f"; replaced {r.replaced_rows:,} earlier rows" if r.replaced_rows else "")
                )
            else:
                console.print(f"[red]rejected[/] {r.error}")
    return results


def _batches(
    planned: list[tuple[Detected, Path, str]],
) -> Iterator[list[tuple[Detected, Path, str]]]:
    """Runs of street-level files go together (no file twice in a run); the rest one by one."""
    batch: list[tuple[Detected, Path, str]] = []
    for item in planned:
        street = item[0].dataset == "police_uk_street"
        if batch and (not street or any(item[1] == b[1] for b in batch)):
            yield batch
            batch = []
        if street:
            batch.append(item)
        else:
            yield [item]
    if batch:
        yield batch


def _import_street(wh: Warehouse, batch: list[tuple[Detected, Path, str]]) -> list[ImportResult]:
    """Street-level files in one pass; if any is bad, each on its own so only the bad one fails."""
    with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL
        digests = list(pool.map(sha256_of, [path for _, path, _ in batch]))
    files = [(d, p, name, digest) for (d, p, name), digest in zip(batch, digests, strict=True)]
    try:
        return police_uk.import_street_files(wh, files)
    except duckdb.Error as exc:
        if len(files) > 1:
            return [r for f in files for r in _import_street_alone(wh, f)]
        return [_street_rejection(wh, files[0], exc)]


def _import_street_alone(
    wh: Warehouse, file: tuple[Detected, Path, str, str]
) -> list[ImportResult]:
    try:
        return police_uk.import_street_files(wh, [file])
    except duckdb.Error as exc:
        return [_street_rejection(wh, file, exc)]


def _street_rejection(
    wh: Warehouse, file: tuple[Detected, Path, str, str], exc: duckdb.Error
) -> ImportResult:
    """Find the row that failed (the one-pass import only knows that one did) and say so."""
    detected, path, display, _ = file
    error: ImportRejected = _explain_duckdb_error(display, exc)
    wh.con.execute("BEGIN TRANSACTION")
    try:
        police_uk.stage(wh.con, path, display, detected)
    except ImportRejected as found:
        error = found
    except duckdb.Error as read_error:
        error = _explain_duckdb_error(display, read_error)
    finally:
        wh.con.execute("ROLLBACK")
    return ImportResult(display, "rejected", format=detected.description, error=str(error))


def _import_one(wh: Warehouse, detected: Detected, path: Path, display: str) -> ImportResult:
    con = wh.con
    digest = sha256_of(path)
    con.execute("BEGIN TRANSACTION")
    try:
        if detected.dataset == "boundaries":
            result = _write_boundaries(wh, detected, path, display, digest)
        else:
            stager = {"mps_wide": mps.stage, "mps_dashboard": dashboard.stage}.get(
                detected.dataset, police_uk.stage
            )
            stager(con, path, display, detected)
            result = write_staged_facts(con, detected=detected, file_name=display, sha256=digest)
        con.execute("COMMIT")
        return result
    except ImportRejected as exc:
        con.execute("ROLLBACK")
        return ImportResult(display, "rejected", format=detected.description, error=str(exc))
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        return ImportResult(
            display,
            "rejected",
            format=detected.description,
            error=str(_explain_duckdb_error(display, exc)),
        )


def _write_boundaries(
    wh: Warehouse, detected: Detected, path: Path, display: str, digest: str
) -> ImportResult:
    rows = boundaries.load_rows(path, display, detected)
    con = wh.con
    codes = [(r[0], r[1]) for r in rows]
    con.execute("CREATE OR REPLACE TEMP TABLE new_codes (level VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO new_codes VALUES (?, ?)", codes)
    replaced = con.execute(
        "SELECT count(*) FROM boundaries JOIN new_codes USING (level, code)"
    ).fetchone()
    # A later file without population (e.g. a GeoJSON) must not wipe one that had it.
    kept = dict(
        con.execute(
            "SELECT code, population FROM boundaries JOIN new_codes USING (level, code) "
            "WHERE population IS NOT NULL"
        ).fetchall()
    )
    rows = [(*r[:4], r[4] if r[4] is not None else kept.get(str(r[1])), r[5]) for r in rows]
    con.execute(
        "DELETE FROM boundaries b USING new_codes n WHERE b.level = n.level AND b.code = n.code"
    )
    source_id = con.execute(
        "INSERT INTO sources (file_name, sha256, format, dataset, rows, imported_at) "
        "VALUES (?, ?, ?, 'boundaries', ?, now()) RETURNING id",
        [display, digest, detected.description, len(rows)],
    ).fetchone()[0]  # type: ignore[index]
    con.executemany(
        "INSERT INTO boundaries VALUES (?, ?, ?, ?, ?, ?, ?)", [(*r, source_id) for r in rows]
    )
    forget_superseded_sources(con)
    return ImportResult(
        display,
        "imported",
        format=detected.description,
        rows=len(rows),
        sha256=digest,
        replaced_rows=int(replaced[0]) if replaced else 0,
    )


def _explain_duckdb_error(display: str, exc: duckdb.Error) -> ImportRejected:
    text = str(exc)
    line = re.search(r"[Ll]ine:? (\d+)", text)
    column = re.search(r'[Cc]olumn:? "?([^"\n]+?)"?\s*$', text, re.MULTILINE)
    first_line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return ImportRejected(
        display,
        f"could not be read: {first_line}",
        row=int(line.group(1)) - 1 if line else None,
        column=column.group(1) if column else None,
    )


def _csv_head(path: Path, rows: int = 5) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="", errors="replace") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        sample = [row for _, row in zip(range(rows), reader, strict=False)]
    return [h.strip() for h in header], sample


@contextmanager
def _expanded(
    paths: Iterable[Path | str], warehouse: Warehouse
) -> Iterator[list[tuple[Path, str]]]:
    """Every data file under the paths, with zip members extracted to a temporary folder (in
    the warehouse's own, so one left by a killed import is swept at the next open)."""
    with warehouse.scratch("extract") as tmp:
        out: list[tuple[Path, str]] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                candidates = sorted(p for p in path.rglob("*") if p.is_file())
            elif path.exists():
                candidates = [path]
            else:
                raise FileNotFoundError(f"no such file or folder: {path}")
            for candidate in candidates:
                if candidate.suffix.lower() in SIDECARS:
                    continue
                if candidate.suffix.lower() == ".zip":
                    out.extend(_unzip(candidate, Path(tmp)))
                else:
                    out.append((candidate, candidate.name))
        yield out


def _unzip(archive: Path, tmp: Path) -> list[tuple[Path, str]]:
    target = tmp / f"{len(list(tmp.iterdir()))}-{archive.stem}"
    members = []
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            suffix = Path(info.filename).suffix.lower()
            if info.is_dir() or suffix in SIDECARS - {".dbf", ".shx", ".prj", ".cpg"}:
                continue
            zf.extract(info, target)
            if suffix not in SIDECARS:
                members.append((target / info.filename, f"{archive.name}!{info.filename}"))
    return sorted(members, key=lambda m: m[1])


def _short(display: str, width: int = 48) -> str:
    return display if len(display) <= width else "…" + display[-(width - 1) :]
