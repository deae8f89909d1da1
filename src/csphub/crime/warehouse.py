"""Opening the crimestats warehouse from Django: where it is, and what to say when it cannot be.

Reads attach the current database file read-only and never wait for an import; an import
(the upload page, ``csphub crime import`` or ``download`` in another process) works on a
staging copy under the import lock and publishes it atomically (ADR 0104). So pages keep
answering while an import runs, from the data as it was before it, and two imports take turns:
the second is refused at once with a message, not queued.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from django.conf import settings

import crimestats
from crimestats import Warehouse, WarehouseDamaged, WarehouseLocked, warehouse_path

logger = logging.getLogger(__name__)


class WarehouseBusy(Exception):
    """The warehouse cannot be used just now (a program outside csphub holds it, say)."""

    #: What the person at the page is told.
    message = "The crime data is being updated. Try again in a minute."


class ImportRunning(WarehouseBusy):
    """Another import holds the import lock: imports take turns."""

    message = (
        "Another import of crime data is running, so this file was not imported. Try again "
        "when it has finished."
    )


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
    """The warehouse, or None when nothing has been imported yet (reads never create it).

    Opened for writing, what the block wrote is published when it ends without an exception.
    """
    path = warehouse_file()
    if not write and not path.exists():
        yield None
        return
    try:
        wh = Warehouse(path, read_only=not write)
    except WarehouseLocked as exc:
        raise ImportRunning(str(exc)) from exc
    except WarehouseDamaged as exc:
        logger.error("crime data warehouse cannot be opened: %s", exc)
        raise WarehouseNeedsRestoring(str(exc)) from exc
    except (duckdb.IOException, duckdb.ConnectionException) as exc:
        raise WarehouseBusy(str(exc)) from exc
    with wh:
        try:
            yield wh
        except duckdb.IOException as exc:
            # A reader that opened the version before an import's publication, still reading
            # when that import retired a street file: the next request reads the new version.
            raise WarehouseBusy(str(exc)) from exc


def fingerprint(wh: Warehouse) -> str:
    """Changes whenever an import changes the data: used in cache keys."""
    return crimestats.data_version(wh)
