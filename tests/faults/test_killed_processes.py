"""Processes killed with SIGKILL at a known point: a save inside its transaction (as a server
worker would be), and ``csphub crime import`` with a street file written but not published.
After each, the data are as they were and the next run goes on (and cleans up)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import realdata
from tests.instance import PROJECT, Instance, postgres_databases

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_database() -> Iterator[str]:
    with postgres_databases(1) as urls:
        yield urls[0]


def _kill_when(instance: Instance, line: str, *args: str) -> None:
    """Start ``python ARGS`` in INSTANCE, wait until it prints LINE, then SIGKILL it."""
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=instance.env(),
        cwd=PROJECT,
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == line
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def _save_killed_half_way(instance: Instance) -> None:
    instance.ok("migrate", "-v0")
    world = json.loads(instance.ok_python("-m", "tests.faults.killed_save", "setup"))
    ids = (world["case"], world["user"])

    _kill_when(instance, "saving", "-m", "tests.faults.killed_save", "hold", *ids)

    result = json.loads(instance.ok_python("-m", "tests.faults.killed_save", "check", *ids))
    # Nothing of the killed save was kept: the version it moved on and its plan were rolled back.
    assert result["stored"]["version"] == world["version"]
    assert result["stored"]["plan"] != "the plan of the save that was killed"
    # The next save, from the version as stored, goes through: no lock was left behind.
    assert result["after"] == {
        "version": world["version"] + 1,
        "plan": "the plan saved after the restart",
    }
    assert "Audit trail intact" in instance.ok("audit", "verify")


def test_a_save_killed_half_way_on_sqlite_keeps_the_record_as_it_was(tmp_path: Path) -> None:
    _save_killed_half_way(Instance.sqlite(tmp_path))


@pytest.mark.pg_only
def test_a_save_killed_half_way_on_postgresql_keeps_the_record_as_it_was(
    pg_database: str, tmp_path: Path
) -> None:
    _save_killed_half_way(Instance(tmp_path, pg_database))


@pytest.mark.realdata
def test_a_street_import_killed_before_publishing_changes_nothing_and_the_next_run_cleans_up(
    tmp_path: Path,
) -> None:
    if not realdata.available():
        pytest.skip(realdata.SKIP_REASON)
    files = sorted((realdata.DATA / "police-uk" / "city-of-london").glob("*-street.csv"))
    first, second = files[0], files[1]
    instance = Instance.sqlite(tmp_path)
    warehouse = tmp_path / "crimestats"
    instance.ok("crime", "import", "-q", str(first))
    sources = instance.ok("crime", "sources", "--format", "json")
    street_files = sorted(p.name for p in (warehouse / "warehouse-street").iterdir())

    _kill_when(instance, "publishing", "-m", "tests.faults.killed_import", str(second))

    # What the killed import left: its staging copy and the Parquet file it wrote.
    assert [p for p in warehouse.iterdir() if ".staging-" in p.name]
    left = sorted(p.name for p in (warehouse / "warehouse-street").iterdir())
    assert len(left) == len(street_files) + 1
    # Nothing of it was published.
    assert instance.ok("crime", "sources", "--format", "json") == sources

    instance.ok("crime", "import", "-q", str(second))

    assert not [p for p in warehouse.iterdir() if ".staging-" in p.name]
    names = [row["file"] for row in json.loads(instance.ok("crime", "sources", "--format", "json"))]
    assert names == [first.name, second.name]
    # The orphaned Parquet file went; the two imports' own files remain.
    assert len(list((warehouse / "warehouse-street").iterdir())) == 2
