"""The file halves of a backup: the crime warehouse (its DuckDB file with the street-level
Parquet files it names, ADR 0103) and the attached documents' files (docs/documents.md)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings

from csphub.crime.warehouse import open_warehouse, warehouse_file

#: Folders inside the archive.
WAREHOUSE = "crimestats"
DOCUMENTS = "documents"


def documents_dir() -> Path:
    return Path(settings.DOCUMENTS_DIR)


def copy_warehouse(staging: Path) -> bool:
    """Copy the warehouse into STAGING/crimestats/; False when nothing has been imported.

    The copy is taken under the import lock, from the version last published, so no import
    can publish or retire street files half-way through it; nothing is published by it.
    """
    database = warehouse_file()
    if not database.exists():
        return False
    with open_warehouse(write=True) as wh:
        assert wh is not None  # opened for writing, never None
        try:
            wh.copy_to(staging / WAREHOUSE / database.name)
        finally:
            wh.abandon()  # the staging copy this open made is thrown away, not published
    return True


def copy_documents(staging: Path) -> int:
    """Copy every stored document file into STAGING/documents/; returns how many."""
    source = documents_dir()
    if not source.is_dir():
        return 0
    shutil.copytree(source, staging / DOCUMENTS)
    return sum(1 for p in (staging / DOCUMENTS).rglob("*") if p.is_file())


def files_present() -> str:
    """Why the instance's files are not empty, or "" when there are none to overwrite."""
    if warehouse_file().exists():
        return f"crime data is already imported ({warehouse_file()})"
    if documents_dir().is_dir() and any(p.is_file() for p in documents_dir().rglob("*")):
        return f"documents are already stored ({documents_dir()})"
    return ""


def put_warehouse(unpacked: Path) -> bool:
    """Move the warehouse from the unpacked archive into place; False when it had none."""
    source_db = unpacked / WAREHOUSE / warehouse_file().name
    if not source_db.exists():
        return False
    database = warehouse_file()
    street = database.with_name(database.stem + "-street")
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(street, ignore_errors=True)
    source_street = source_db.with_name(source_db.stem + "-street")
    if source_street.is_dir():
        shutil.move(source_street, street)
    database.with_name(database.name + ".wal").unlink(missing_ok=True)
    # The database file last: once it is in place, every street file it names is there.
    shutil.move(source_db, database.with_name(f".{database.name}.restoring"))
    os.replace(database.with_name(f".{database.name}.restoring"), database)
    return True


def put_documents(unpacked: Path) -> int:
    """Move the documents from the unpacked archive into DOCUMENTS_DIR; returns how many."""
    source = unpacked / DOCUMENTS
    if not source.is_dir():
        return 0
    target = documents_dir()
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, destination)
        count += 1
    return count
