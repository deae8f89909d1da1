"""Reading while another process imports (ADR 0104), and what an interrupted import leaves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from crimestats_testdata import PRE2023_RECENT, RECENT_2023

from crimestats.cli import main
from crimestats.config import warehouse_path
from crimestats.importers import import_paths
from crimestats.locks import WarehouseLocked, lock_path, scratch_root
from crimestats.warehouse import Warehouse

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

HOLDER = Path(__file__).with_name("hold_import.py")


class Holder:
    """A second process with an import held open (see hold_import.py)."""

    def __init__(self, database: Path, upload: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HOLDER), str(database), str(upload)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.startswith("importing "), line
        #: The zip member the held import extracted.
        self.extracted = Path(line.split(" ", 1)[1].strip())

    def finish(self) -> str:
        out, _ = self.proc.communicate("\n", timeout=120)
        assert self.proc.returncode == 0
        return out.strip()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.kill()


def _zip_of(path: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, path.name)
    return target


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder whose warehouse holds one real MPS borough file."""
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "import", "-q", str(RECENT_2023)]) == 0
    return data


@pytest.fixture
def holder(data_dir: Path, tmp_path: Path) -> Iterator[Holder]:
    upload = _zip_of(PRE2023_RECENT, tmp_path / "more.zip")
    held = Holder(warehouse_path(data_dir), upload)
    yield held
    held.stop()


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def _sources(data: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    rows = _json(capsys, "--data-dir", str(data), "sources", "--format", "json")
    return [r["file"] for r in rows]  # type: ignore[attr-defined]


def _figures(data: Path, capsys: pytest.CaptureFixture[str]) -> object:
    return _json(
        capsys,
        *["--data-dir", str(data), "figures", "--area", "Bexley"],
        *["--window", "2025-01:2025-06", "--measure", "serious_violence", "--format", "json"],
    )


def test_figures_and_sources_read_while_another_process_imports(
    data_dir: Path, holder: Holder, capsys: pytest.CaptureFixture[str]
) -> None:
    database = warehouse_path(data_dir)
    assert holder.proc.poll() is None  # the other import is under way, holding the lock
    # Readers answer from the version published before that import began.
    assert _sources(data_dir, capsys) == [RECENT_2023.name]
    figures = _figures(data_dir, capsys)
    assert figures["measures"][0]["rows"][0]["current"] > 0  # type: ignore[index]
    # A second import takes its turn: it is told so, and changes nothing.
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "import", "-q", str(PRE2023_RECENT)]) == 2
    err = capsys.readouterr().err
    assert "another import" in err and str(holder.proc.pid) in err
    # Once the other import has finished, the next reader sees what it imported.
    assert holder.finish() == "done imported"
    assert _sources(data_dir, capsys) == [RECENT_2023.name, f"more.zip!{PRE2023_RECENT.name}"]
    assert _figures(data_dir, capsys) == figures  # the 2023 classification still answers
    assert not holder.extracted.exists()  # its extraction folder went with it
    assert [p.name for p in database.parent.iterdir() if ".staging-" in p.name] == []


def test_a_killed_import_changes_nothing_and_its_leftovers_are_swept(
    data_dir: Path, holder: Holder, capsys: pytest.CaptureFixture[str]
) -> None:
    database = warehouse_path(data_dir)
    # Zip members are extracted into the warehouse's own temporary folder, not /tmp.
    assert scratch_root(database) in holder.extracted.parents and holder.extracted.exists()
    holder.kill()
    staging = [p for p in database.parent.iterdir() if ".staging-" in p.name]
    assert staging and holder.extracted.exists()  # what the killed import left behind
    assert _sources(data_dir, capsys) == [RECENT_2023.name]  # nothing of it was published
    assert not holder.extracted.exists()  # the reader's open swept its folder
    with Warehouse(database) as wh:  # the lock died with the process; the next import runs
        assert not any(p.exists() for p in staging)  # and sweeps its staging copy
        assert import_paths([PRE2023_RECENT], wh, quiet=True)[0].status == "imported"
    assert _sources(data_dir, capsys) == [RECENT_2023.name, PRE2023_RECENT.name]


def test_a_reader_keeps_the_version_it_opened_while_an_import_publishes(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    with Warehouse(database) as wh:
        import_paths([RECENT_2023], wh, quiet=True)
    old = Warehouse(database, read_only=True)
    try:
        with Warehouse(database) as wh:  # in this same process, beside the reader
            import_paths([PRE2023_RECENT], wh, quiet=True)
        assert old.con.execute("SELECT count(*) FROM sources").fetchone() == (1,)
        with Warehouse(database, read_only=True) as new:
            assert new.con.execute("SELECT count(*) FROM sources").fetchone() == (2,)
    finally:
        old.close()


def test_an_import_that_fails_part_way_publishes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    with Warehouse(database) as wh:
        import_paths([RECENT_2023], wh, quiet=True)
    with pytest.raises(KeyboardInterrupt), Warehouse(database) as wh:
        import_paths([PRE2023_RECENT], wh, quiet=True)
        raise KeyboardInterrupt  # say, Ctrl-C after the first file
    with Warehouse(database, read_only=True) as wh:
        assert wh.con.execute("SELECT file_name FROM sources").fetchall() == [(RECENT_2023.name,)]
    assert [p.name for p in tmp_path.iterdir() if ".staging-" in p.name] == []


def test_imports_take_turns_within_one_process_too(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    with Warehouse(database), pytest.raises(WarehouseLocked, match=f"process {os.getpid()}"):
        Warehouse(database)
    Warehouse(database).close()  # released
    assert lock_path(database).exists()


LOCKER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


def test_leftover_temporary_folders_are_swept_when_no_process_owns_them(tmp_path: Path) -> None:
    from crimestats.locks import OWNER, UNOWNED_GRACE, scratch

    database = tmp_path / "w.duckdb"
    Warehouse(database).close()
    root = scratch_root(database)

    def folder(name: str) -> Path:
        made = root / name / "0-more"
        made.mkdir(parents=True)
        (made / "2024-01-metropolitan-street.csv").write_text("x")
        return root / name

    # Left by a killed process: its owner file is there, but nothing holds its lock.
    killed = folder("extract-4242-abc123")
    (killed / OWNER).touch()
    # In use by another process (holding the lock), and by this one.
    busy = folder("upload-4243-def456")
    other = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(busy / OWNER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        with scratch(root, "extract") as mine:
            # Made a moment ago without an owner file yet, and one long ago that never got one.
            fresh = folder("download-4244-ghi789")
            stale = folder("download-4245-jkl012")
            long_ago = time.time() - UNOWNED_GRACE - 60
            os.utime(stale, (long_ago, long_ago))
            with Warehouse(database, read_only=True):
                pass
            assert not killed.exists() and not stale.exists()
            assert busy.exists() and mine.exists() and fresh.exists()
        assert not mine.exists()  # removed by its own process when done
    finally:
        other.communicate("")
    with Warehouse(database, read_only=True):  # the other process has ended: its folder goes
        pass
    assert not busy.exists()
