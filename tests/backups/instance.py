"""A csphub instance in its own data folder, driven by the `csphub` command in subprocesses:
what the backup and restore tests build, back up, restore into and compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class Instance:
    data_dir: Path
    database_url: str

    @classmethod
    def sqlite(cls, data_dir: Path) -> Instance:
        return cls(data_dir, f"sqlite:///{data_dir / 'csphub.sqlite3'}")

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
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "csphub", *args],
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=PROJECT,
            check=False,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"csphub {' '.join(args)}: {result.stderr[-3000:]}"
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
