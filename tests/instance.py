"""A csphub instance of its own (a data folder and a database), driven by the `csphub` command
in subprocesses: what the backup, concurrency and fault tests build, break and compare."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@dataclass
class Instance:
    data_dir: Path
    database_url: str
    shared_data: Path | None = None

    @classmethod
    def sqlite(cls, data_dir: Path) -> Instance:
        return cls(data_dir, f"sqlite:///{data_dir / 'csphub.sqlite3'}")

    def without_crime_data(self) -> Instance:
        """The demo then loads no crime files (quicker, for tests that need no figures)."""
        self.shared_data = self.data_dir / "no-shared-data"
        return self

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            CSPHUB_DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,
            ALLOWED_HOSTS="testserver",
            LOG_LEVEL="ERROR",
            DJANGO_SETTINGS_MODULE="csphub.settings",
        )
        env.pop("CSPHUB_DOCUMENTS_DIR", None)
        if self.shared_data is not None:
            env["CSPHUB_SHARED_DATA"] = str(self.shared_data)
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.python("-m", "csphub", *args)

    def python(
        self, *args: str, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            env={**self.env(), **(extra_env or {})},
            cwd=PROJECT,
            check=False,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"csphub {' '.join(args)}: {result.stderr[-3000:]}"
        return result.stdout

    def ok_python(self, *args: str) -> str:
        result = self.python(*args)
        assert result.returncode == 0, f"python {' '.join(args)}: {result.stderr[-3000:]}"
        return result.stdout

    def pages(self, email: str) -> dict[str, str]:
        """Each page's status and the SHA-256 of its HTML, as EMAIL sees them."""
        result = subprocess.run(
            [sys.executable, "-m", "tests.backups.snapshot", email],
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=PROJECT,
            check=True,
        )
        return json.loads(result.stdout)

    def figures(self) -> str:
        return self.ok("crime", "figures", "--area", "Bexley", "--year", "2023", "--format", "json")


@contextmanager
def postgres_databases(count: int) -> Iterator[list[str]]:
    """COUNT new, empty databases on the PostgreSQL server the test run uses (dropped after);
    the test is skipped when the run names no PostgreSQL server."""
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: DATABASE_URL or TEST_DATABASE_URL names no server")
    import psycopg

    server = urlsplit(url)
    names = [f"csphub_instance_{secrets.token_hex(4)}_{n}" for n in range(count)]
    admin = psycopg.connect(server._replace(path="/postgres").geturl(), autocommit=True)
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield [server._replace(path=f"/{name}").geturl() for name in names]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
