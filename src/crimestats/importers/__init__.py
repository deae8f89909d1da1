"""Import files, folders and zips into the warehouse, detecting each file's format.

Each file is validated (:mod:`crimestats.importers.validation`) and written in its own
transaction: a bad file changes nothing and is reported with file, row, column and reason,
while the other files still load; so is a zip archive that cannot be read, or a bad member of
one.  Within one call, files of the same dataset are applied oldest first (by the last month
they cover, or the dashboard's refresh date) so a newer refresh of a month replaces an older
one.
"""

from __future__ import annotations

import shutil
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from crimestats.importers import boundaries, dashboard, mps, police_uk, population
from crimestats.importers.base import (
    Detected,
    ImportResult,
    forget_superseded_sources,
    sha256_of,
    write_staged_facts,
)
from crimestats.importers.validation import (
    ImportRejected,
    check_header,
    duckdb_rejection,
    read_header,
)
from crimestats.warehouse import Warehouse

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["Detected", "ImportRejected", "ImportResult", "detect_format", "import_paths"]

#: Shapefile companions and documentation travel with data but are not data themselves.
SIDECARS = {".dbf", ".shx", ".prj", ".cpg", ".sbn", ".sbx", ".xml", ".md", ".txt"}
DATASET_ORDER = [
    "boundaries",
    "population",
    "mps_wide",
    "mps_dashboard",
    "police_uk_street",
    "police_uk_outcomes",
    "police_uk_stop_and_search",
]


def detect_format(
    path: Path, con: duckdb.DuckDBPyConnection | None = None, file_name: str = ""
) -> Detected:
    """Say what a file is, or raise :class:`ImportRejected` explaining why it is not recognised.

    FILE_NAME is the name to report (a zip member's ``archive.zip!member``); by default the
    file's own name.
    """
    suffix = path.suffix.lower()
    name = file_name or path.name
    if suffix == ".csv":
        if population.looks_like_population_csv(path, name):
            return population.detect(path, name)
        header, sample = read_header(path, name)
        check_header(name, header)
        found = police_uk.detect(header, name) or mps.detect(header, sample, name)
        if found:
            return found
        raise ImportRejected(
            name,
            f"CSV header not recognised as police.uk or MPS (starts {', '.join(header[:5])})",
            row=0,
        )
    if suffix == ".parquet":
        found = dashboard.detect(con or duckdb.connect(), path, name)
        if found:
            return found
        raise ImportRejected(name, "Parquet columns not recognised as an MPS dashboard extract")
    if suffix in (".geojson", ".json", ".shp"):
        return boundaries.detect(path, name)
    if suffix == ".xlsx":
        return population.detect(path, name)
    raise ImportRejected(name, f"unsupported file type {suffix or '(none)'}")


def import_paths(
    paths: Iterable[Path | str],
    warehouse: Warehouse,
    *,
    quiet: bool = False,
    console: Console | None = None,
) -> list[ImportResult]:
    """Import every file under ``paths``; returns one result per file, imported or rejected."""
    results: list[ImportResult] = []
    with _expanded(paths, warehouse) as files:
        planned: list[tuple[Detected, Path, str]] = []
        for path, display, refusal in files:
            if refusal:
                results.append(ImportResult(display, "rejected", error=refusal))
                continue
            try:
                planned.append((detect_format(path, warehouse.con, display), path, display))
            except ImportRejected as exc:
                results.append(ImportResult(display, "rejected", error=str(exc)))
        planned.sort(key=lambda p: (DATASET_ORDER.index(p[0].dataset), p[0].vintage, p[2]))
        with _progress(console, quiet) as (progress, console):
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
    if console is not None:
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


class _Silent:
    """Progress that shows nothing (a quiet import does not load ``rich``)."""

    def add_task(self, *_: Any, **__: Any) -> int:
        return 0

    def update(self, *_: Any, **__: Any) -> None:
        pass

    def advance(self, *_: Any, **__: Any) -> None:
        pass


@contextmanager
def _progress(console: Console | None, quiet: bool) -> Iterator[tuple[Any, Console | None]]:
    """A progress bar on CONSOLE (stderr by default), or nothing at all when QUIET."""
    if quiet:
        yield _Silent(), None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = console or Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        yield progress, console


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
    """Street-level files in one pass; if any is bad, each on its own so only the bad one fails.

    The files' SHA-256 is worked out in a thread while DuckDB reads them (hashlib and DuckDB
    both release the GIL, and the read leaves part of a core idle); each file is hashed once,
    and the digests are written in the import's own transaction.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        files = [(d, p, name, pool.submit(sha256_of, p)) for d, p, name in batch]
        try:
            return police_uk.import_street_files(wh, files)
        except (duckdb.Error, ImportRejected) as exc:
            if len(files) > 1:
                return [r for f in files for r in _import_street_alone(wh, f)]
            return [_street_rejection(wh, files[0], exc)]


def _import_street_alone(
    wh: Warehouse, file: tuple[Detected, Path, str, police_uk.Digest]
) -> list[ImportResult]:
    try:
        return police_uk.import_street_files(wh, [file])
    except (duckdb.Error, ImportRejected) as exc:
        return [_street_rejection(wh, file, exc)]


def _street_rejection(
    wh: Warehouse,
    file: tuple[Detected, Path, str, police_uk.Digest],
    exc: duckdb.Error | ImportRejected,
) -> ImportResult:
    """Find the row that failed (the one-pass import only knows that one did) and say so."""
    detected, path, display, _ = file
    error = exc if isinstance(exc, ImportRejected) else duckdb_rejection(display, exc)
    wh.con.execute("BEGIN TRANSACTION")
    try:
        police_uk.stage(wh.con, path, display, detected)
    except ImportRejected as found:
        error = found
    except duckdb.Error as read_error:
        error = duckdb_rejection(display, read_error)
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
        elif detected.dataset == "population":
            result = _write_population(wh, detected, path, display, digest)
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
            error=str(duckdb_rejection(display, exc)),
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


def _write_population(
    wh: Warehouse, detected: Detected, path: Path, display: str, digest: str
) -> ImportResult:
    """Each year's estimates replace any held for that year and level (the others stay)."""
    years = population.load_rows(path, display, detected)
    con = wh.con
    replaced = con.execute(
        "SELECT count(*) FROM populations WHERE level = ? AND list_contains(?, year)",
        [detected.level, sorted(years)],
    ).fetchone()
    con.execute(
        "DELETE FROM populations WHERE level = ? AND list_contains(?, year)",
        [detected.level, sorted(years)],
    )
    rows = [(detected.level, code, year, people) for year, r in years.items() for code, people in r]
    source_id = con.execute(
        "INSERT INTO sources (file_name, sha256, format, dataset, rows, imported_at) "
        "VALUES (?, ?, ?, 'population', ?, now()) RETURNING id",
        [display, digest, detected.description, len(rows)],
    ).fetchone()[0]  # type: ignore[index]
    con.executemany(
        "INSERT INTO populations VALUES (?, ?, ?, ?, ?)", [(*r, source_id) for r in rows]
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


@contextmanager
def _expanded(
    paths: Iterable[Path | str], warehouse: Warehouse
) -> Iterator[list[tuple[Path, str, str]]]:
    """Every data file under the paths, with zip members extracted to a temporary folder (in
    the warehouse's own, so one left by a killed import is swept at the next open).

    Each is ``(path, display name, refusal)``; the refusal is empty unless the file could not
    be taken out of its archive (then it says why, naming the archive or member).
    """
    with warehouse.scratch("extract") as tmp:
        out: list[tuple[Path, str, str]] = []
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
                    out.append((candidate, candidate.name, ""))
        yield out


#: What reading a damaged member raises (bad CRC, truncated data, unknown compression, ...).
_MEMBER_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, OSError, NotImplementedError)


def _unzip(archive: Path, tmp: Path) -> list[tuple[Path, str, str]]:
    """Take the data files (and shapefile sidecars) out of ARCHIVE into a new folder in TMP.

    A member is only ever written inside that folder: one whose path is absolute or climbs out
    (``../``) is refused, as are members that share a name (which one is meant cannot be told),
    encrypted members and members that cannot be read back intact.
    """
    target = tmp / f"{len(list(tmp.iterdir()))}-{archive.stem}"
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return [
            (archive, archive.name, f"{archive.name}: not a zip archive, or it is damaged ({exc})")
        ]
    members: list[tuple[Path, str, str]] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        names = [_member_path(i.filename) for i in infos]
        counts = Counter(names)
        for info, relative in zip(infos, names, strict=True):
            display = f"{archive.name}!{info.filename}"
            suffix = Path(info.filename).suffix.lower()
            if suffix in SIDECARS - {".dbf", ".shx", ".prj", ".cpg"}:
                continue
            refusal = ""
            if relative is None:
                refusal = "the member's path leads outside the archive (absolute, or with ..)"
            elif counts[relative] > 1:
                refusal = (
                    f"the archive holds {counts[relative]} members with this name, so "
                    "which one is meant cannot be told; none of them is imported"
                )
            elif info.flag_bits & 0x1:
                refusal = "the member is encrypted (password-protected), so it cannot be read"
            else:
                dest = target.joinpath(*relative)
                try:
                    _extract(zf, info, dest)
                except (*_MEMBER_ERRORS, RuntimeError) as exc:
                    refusal = f"the member is damaged and cannot be read ({exc})"
                    dest.unlink(missing_ok=True)
            if suffix not in SIDECARS:
                members.append((target.joinpath(*(relative or ["refused"])), display, refusal))
    if not members:
        return [(archive, archive.name, f"{archive.name}: the archive holds no data files")]
    return sorted([(p, d, f"{d}: {r}" if r else "") for p, d, r in members], key=lambda m: m[1])


def _member_path(name: str) -> tuple[str, ...] | None:
    """A member's path as parts inside the archive, or None if it would lead outside it."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (parts and ":" in parts[0]) or "\0" in name:
        return None
    parts = [p for p in parts if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return tuple(parts)


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path) -> None:
    """Copy one member to DEST, reading it to the end so its CRC is checked."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zf.open(info) as src, dest.open("wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)


def _short(display: str, width: int = 48) -> str:
    return display if len(display) <= width else "…" + display[-(width - 1) :]
