"""Opening the crimestats warehouse from Django: where it is, and one connection at a time.

DuckDB lets one process hold a file read-write, or several hold it read-only, but a process
cannot mix the two on the same file at once. Pages read and the import page writes, so every
use in this process goes through one lock; connections are short-lived (one per request), so
other processes (the CLI, another worker) can open the file between requests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from django.conf import settings

from crimestats.config import warehouse_path
from crimestats.warehouse import Warehouse, WarehouseDamaged

logger = logging.getLogger(__name__)
_LOCK = threading.RLock()


class WarehouseBusy(Exception):
    """Another process (an import from the command line, say) holds the warehouse."""

    #: What the person at the page is told.
    message = "The crime data is being updated. Try again in a minute."


class WarehouseNeedsRestoring(WarehouseBusy):
    """Street-level files the database refers to are missing: only a restore mends it."""

    message = (
        "The crime data cannot be read because part of it is missing. An administrator needs "
        "to restore the crime data folder from a backup, or import the files again."
    )


def warehouse_file() -> Path:
    """The warehouse file under ``settings.DATA_DIR`` (the same place ``csphub crime`` uses)."""
    return warehouse_path(Path(settings.DATA_DIR))


@contextmanager
def open_warehouse(*, write: bool = False) -> Iterator[Warehouse | None]:
    """The warehouse, or None when nothing has been imported yet (reads never create it)."""
    path = warehouse_file()
    with _LOCK:
        if not write and not path.exists():
            yield None
            return
        try:
            wh = Warehouse(path, read_only=not write)
        except WarehouseDamaged as exc:
            logger.error("crime data warehouse cannot be opened: %s", exc)
            raise WarehouseNeedsRestoring(str(exc)) from exc
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            raise WarehouseBusy(str(exc)) from exc
        try:
            yield wh
        finally:
            wh.close()


def fingerprint(wh: Warehouse) -> str:
    """Changes whenever an import changes the data: used in cache keys."""
    row = wh.con.execute("SELECT count(*), max(id), max(imported_at) FROM sources").fetchone()
    return f"{wh.path}|{row}"
