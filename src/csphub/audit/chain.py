"""The hash chain that makes the audit trail tamper-evident."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
# The stored fields covered by each event's hash (with the previous event's hash).
CHAINED_FIELDS = (
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
)


def event_digest(
    *,
    prev_hash: str,
    seq: int,
    occurred_at: datetime,
    actor_id: Any,
    actor_label: str,
    verb: str,
    target_type: str,
    target_id: str,
    payload: dict[str, Any],
    ip_address: str | None,
    user_agent: str,
) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of every field."""
    body = json.dumps(
        {
            "seq": seq,
            "at": occurred_at.isoformat(timespec="microseconds"),
            "actor": str(actor_id) if actor_id else None,
            "actor_label": actor_label,
            "verb": verb,
            "target_type": target_type,
            "target_id": target_id,
            "payload": payload,
            "ip": ip_address,
            "ua": user_agent,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256((prev_hash + body).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_events(events: Any) -> ChainReport:
    """Walk events in sequence order; name the first one whose link does not hold."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                expected_seq,
                f"event #{expected_seq} is missing (next present is #{event.seq}): deleted?",
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                False,
                checked,
                event.seq,
                f"event #{event.seq} does not follow the event before it: deleted or reordered?",
            )
        digest = event_digest(
            prev_hash=event.prev_hash,
            **{name: getattr(event, name) for name in CHAINED_FIELDS},
        )
        if digest != event.hash:
            return ChainReport(
                False, checked, event.seq, f"event #{event.seq} was edited after it was written"
            )
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return ChainReport(True, checked)
