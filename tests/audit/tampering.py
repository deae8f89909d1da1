"""What someone with write access to the database can do to the audit table, for the tests.

On PostgreSQL the table refuses UPDATE, DELETE and TRUNCATE (triggers); its owner can switch the
triggers off, so a tamperer here does exactly that first (inside the test's transaction, which
rolls it back). The hashes are recomputed independently of csphub.audit.chain, the way an
attacker who read the source would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from csphub.audit.models import AuditEvent

TABLE = "audit_auditevent"
GENESIS = "0" * 64


@contextmanager
def as_table_owner() -> Iterator[Any]:
    """A cursor with the table owner's rights: on PostgreSQL the append-only triggers are off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the foreign-key checks Django defers to commit, or the table cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _has_column(name: str) -> bool:
    return any(f.name == name for f in AuditEvent._meta.get_fields())


def body(row: dict[str, Any], extra: dict[str, str] | None = None) -> str:
    """The canonical JSON of an event's fields (as stored), optionally with scheme fields."""
    fields: dict[str, Any] = {
        "seq": row["seq"],
        "at": row["occurred_at"].isoformat(timespec="microseconds"),
        "actor": str(row["actor_id"]) if row["actor_id"] else None,
        "actor_label": row["actor_label"],
        "verb": row["verb"],
        "target_type": row["target_type"],
        "target_id": row["target_id"],
        "payload": row["payload"],
        "ip": row["ip_address"],
        "ua": row["user_agent"],
        **(extra or {}),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def plain_sha256(prev_hash: str, row: dict[str, Any]) -> str:
    """The unkeyed SHA-256 link anyone can compute."""
    return hashlib.sha256((prev_hash + body(row)).encode("ascii")).hexdigest()


def hmac_sha256(key: bytes, key_id: str) -> Callable[[str, dict[str, Any]], str]:
    def digest(prev_hash: str, row: dict[str, Any]) -> str:
        text = prev_hash + body(row, {"scheme": "hmac-sha256", "key_id": key_id})
        return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()

    return digest


ROW_FIELDS = [
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "verb",
    "target_type",
    "target_id",
    "payload",
    "ip_address",
    "user_agent",
    "prev_hash",
    "hash",
]


def rows() -> list[dict[str, Any]]:
    extra = ["hash_scheme", "key_id"] if _has_column("hash_scheme") else []
    return list(AuditEvent.objects.order_by("seq").values(*ROW_FIELDS, *extra))


def rewrite_from(
    seq: int,
    payload: dict[str, Any],
    digest: Callable[[str, dict[str, Any]], str],
    scheme: str | None = None,
) -> None:
    """Edit event SEQ's payload, then recompute its hash and every later one with DIGEST.

    SCHEME, when given, is stored as each rewritten event's hash scheme (where the column exists).
    """
    prev_hash = GENESIS
    with as_table_owner() as cursor:
        for row in rows():
            if row["seq"] < seq:
                prev_hash = row["hash"]
                continue
            if row["seq"] == seq:
                row["payload"] = payload
            row["prev_hash"] = prev_hash
            row["hash"] = digest(prev_hash, row)
            sets = "payload = %s, prev_hash = %s, hash = %s"
            params: list[Any] = [json.dumps(row["payload"]), row["prev_hash"], row["hash"]]
            if scheme is not None and _has_column("hash_scheme"):
                sets += ", hash_scheme = %s"
                params.append(scheme)
            cursor.execute(f"UPDATE {TABLE} SET {sets} WHERE seq = %s", [*params, row["seq"]])
            prev_hash = row["hash"]


def delete_from(seq: int) -> None:
    with as_table_owner() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq >= %s", [seq])
