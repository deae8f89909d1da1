"""The audit chain under concurrent writers: eight threads saving cases, actions and minutes
through the services (``bench/concurrency.py``, short) leave no lost update, no fork and no gap
in the chain, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.instance import PROJECT, Instance, postgres_databases

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_database() -> Iterator[str]:
    with postgres_databases(1) as urls:
        yield urls[0]


def _writers_leave_a_whole_chain(instance: Instance) -> dict[str, object]:
    instance.ok("migrate", "-v0")
    instance.ok("demo")
    bench = instance.python(
        str(PROJECT / "bench" / "concurrency.py"),
        *("--writers", "8", "--seconds", "4", "--connections", "8", "--records", "1"),
    )
    result = json.loads(bench.stdout.strip().splitlines()[-1])
    assert result["problems"] == [], result
    assert bench.returncode == 0
    assert result["saved"] > 0
    assert result["errors"] == 0
    assert result["lost_updates"] == 0
    # The command operators run, apart from the bench's own check, agrees.
    assert "Audit trail intact" in instance.ok("audit", "verify")
    return result


def test_concurrent_writers_on_sqlite_leave_no_lost_update_fork_or_gap(tmp_path: Path) -> None:
    result = _writers_leave_a_whole_chain(Instance.sqlite(tmp_path).without_crime_data())
    assert result["database"] == "sqlite"


@pytest.mark.pg_only
def test_concurrent_writers_on_postgresql_leave_no_lost_update_fork_gap_or_lock(
    pg_database: str, tmp_path: Path
) -> None:
    result = _writers_leave_a_whole_chain(Instance(tmp_path, pg_database).without_crime_data())
    assert result["database"] == "postgresql"
    assert result["deadlocks"] == 0
