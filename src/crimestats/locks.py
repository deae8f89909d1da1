"""The files beside the warehouse that are not the warehouse: the import lock and the
temporary folders under ``<name>-tmp/``, each locked by its process while in use, so that one
left by a process that has gone is found and removed (``sweep_scratch``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class WarehouseLocked(RuntimeError):
    """Another import holds the warehouse: imports take turns (readers never wait)."""

    def __init__(self, path: Path, holder: str) -> None:
        self.holder = holder
        super().__init__(
            f"another import into {path} is running ({holder}): imports take turns, so try "
            "again when it has finished"
        )


def lock_path(database: Path) -> Path:
    """The import lock beside the database file DATABASE."""
    return database.with_name(f".{database.name}.lock")


def scratch_root(database: Path) -> Path:
    """Where temporary folders for the warehouse at DATABASE go: ``<stem>-tmp/`` beside it."""
    return database.with_name(database.stem + "-tmp")


_SCRATCH_NAME = re.compile(r"[a-z]+-\d+-")
#: In each temporary folder, the file its process holds an exclusive ``flock`` on while it
#: uses the folder; the kernel releases it when the process ends, however it ends.
OWNER = ".owner"
#: A folder without its owner file is stale once this old (a process killed in the moment
#: between making the folder and locking the file).
UNOWNED_GRACE = 60.0


@contextlib.contextmanager
def scratch(root: Path, kind: str) -> Iterator[Path]:
    """A new private folder ``KIND-<pid>-<random>`` under ROOT, removed when done.

    Its process holds a lock on the folder's :data:`OWNER` file while it exists, so if the
    process is killed the next open of the warehouse knows the folder has no owner and
    removes it (:func:`sweep_scratch`) — wherever that process ran, whatever its pid became.
    """
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=root))
    fd = os.open(folder / OWNER, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def sweep_scratch(root: Path, *, now: Callable[[], float] = time.time) -> list[Path]:
    """Remove the folders under ROOT that no process owns any more; returns what was removed."""
    removed: list[Path] = []
    try:
        entries = [e for e in root.iterdir() if _SCRATCH_NAME.match(e.name) and e.is_dir()]
    except OSError:
        return removed
    for entry in entries:
        if _unowned(entry, now()):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _unowned(folder: Path, now: float) -> bool:
    try:
        fd = os.open(folder / OWNER, os.O_RDWR)
    except FileNotFoundError:
        try:
            return now - folder.stat().st_mtime > UNOWNED_GRACE
        except OSError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its process is still using it
    finally:
        os.close(fd)  # (closing drops the lock this took, if it took one)
    return True


class ImportLock:
    """An exclusive ``flock`` on the lock file, held for a writable open (released by the
    kernel if the process dies)."""

    def __init__(
        self,
        database: Path,
        *,
        wait: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.fd = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
        give_up = clock() + wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() >= give_up:
                    held = os.pread(self.fd, 32, 0).decode(errors="replace").strip()
                    os.close(self.fd)
                    who = f"process {held}" if held.isdigit() else "another process"
                    raise WarehouseLocked(database, who) from None
                sleep(min(0.5, max(0.0, give_up - clock())))
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
