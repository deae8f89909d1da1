"""The database half of a backup: a consistent copy, and putting it back.

SQLite is copied with its online backup API (a consistent copy while the service runs);
PostgreSQL with ``pg_dump -Fc`` inside an exported snapshot, so that the audit trail's head
recorded in the manifest is exactly the head of the dump. Restoring needs the same engine.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection, connections, transaction

from csphub.audit.chain import GENESIS

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
#: Where the dump sits inside the archive, by engine.
MEMBER = {SQLITE: "database/csphub.sqlite3", POSTGRESQL: "database/csphub.pgdump"}
_HEAD = "SELECT seq, hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1"


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in MEMBER:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _head(row: Any) -> dict[str, Any]:
    seq, digest = row if row else (0, GENESIS)
    return {"seq": int(seq), "hash": str(digest)}


def dump(target: Path) -> dict[str, Any]:
    """Write the database to TARGET; returns the audit trail's head as of that copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine() == SQLITE:
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            return _head(copy.execute(_HEAD).fetchone())
        finally:
            copy.close()
            source.close()
    with transaction.atomic(), connection.cursor() as cursor:
        # The snapshot pg_dump reads is the one this transaction reads the head from.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        cursor.execute(_HEAD)
        head = _head(cursor.fetchone())
        _pg("pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot}", f"--file={target}")
    return head


def restore(source: Path) -> None:
    """Replace the database's contents with the copy at SOURCE (same engine as the backup)."""
    connections.close_all()
    if engine() == SQLITE:
        name = Path(connection.settings_dict["NAME"])
        name.parent.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(source)
        live = sqlite3.connect(name)
        try:
            copy.backup(live)  # page by page, under SQLite's own lock: atomic for readers
        finally:
            live.close()
            copy.close()
        return
    # One transaction: a restore that fails part-way leaves the database as it was.
    _pg(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        str(source),
        database_flag="--dbname",
    )


def holds_records() -> str:
    """Why the database is not empty (it has users or audit events), or "" when it is."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, what in (("accounts_user", "user"), ("audit_auditevent", "audit event")):
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # two fixed table names
                (count,) = cursor.fetchone()
                if count:
                    return f"the database holds {count} {what}(s)"
    return ""


def _pg(program: str, *args: str, database_flag: str = "--dbname") -> None:
    """Run PROGRAM against the configured PostgreSQL database (password via the environment,
    never the command line); raise BackupError with its own error on failure."""
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    command = [program, *args, f"{database_flag}={settings['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{flag}={settings[key]}")
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")
