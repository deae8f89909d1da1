"""The database lost under a running service: pages answer a plain 503 with Retry-After and
nothing of the error, and the same process serves again once the database is back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.instance import Instance, postgres_databases

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_database() -> Iterator[str]:
    with postgres_databases(1) as urls:
        yield urls[0]


def _outage(instance: Instance) -> dict[str, dict[str, object]]:
    instance.ok("migrate", "-v0")
    env = {"DEBUG": "false"}
    result = instance.python("-m", "tests.faults.outage", extra_env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    steps: dict[str, dict[str, object]] = json.loads(result.stdout.strip().splitlines()[-1])
    assert steps["before"]["status"] == 200
    for during in ("during", "during, again"):
        assert steps[during] == {
            "status": 503,
            "retry_after": "30",
            "shows_error": [],
            "says_unavailable": True,
        }
    assert steps["after"]["status"] == 200
    # Nothing of the error reaches the log beyond its kind.
    assert "database unavailable: OperationalError" in result.stderr
    return steps


def test_sqlite_outage_is_a_clean_503_and_recovers_without_restart(tmp_path: Path) -> None:
    _outage(Instance.sqlite(tmp_path))


@pytest.mark.pg_only
def test_postgresql_outage_is_a_clean_503_and_recovers_without_restart(
    pg_database: str, tmp_path: Path
) -> None:
    steps = _outage(Instance(tmp_path, pg_database))
    # A connection the server cut between requests is replaced before the next one is served.
    assert steps["after the server cut the connection"]["status"] == 200
