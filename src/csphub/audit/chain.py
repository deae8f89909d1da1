"""The hash chain that makes the audit trail tamper-evident.

Each event's hash covers the previous event's hash and a canonical JSON form of its own fields.
Events written since keyed hashes were introduced use HMAC-SHA256 with a key held outside the
database (scheme `hmac-sha256`, the key named by `key_id`); older events keep the plain SHA-256
they were written with (scheme `sha256`). Checkpoints of the head, kept outside the database,
anchor the chain's end (see csphub.audit.checkpoints).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
LEGACY_SCHEME = "sha256"  # SHA-256(prev_hash ‖ body): anyone can recompute it
KEYED_SCHEME = "hmac-sha256"  # HMAC-SHA256(key, prev_hash ‖ body with scheme and key id)

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


def _body(
    *,
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
    extra: Mapping[str, str] | None = None,
) -> str:
    return json.dumps(
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
            **(extra or {}),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        default=str,
    )


def legacy_digest(*, prev_hash: str, **fields: Any) -> str:
    """The unkeyed link of events written before keyed hashes: SHA-256(prev ‖ body)."""
    return hashlib.sha256((prev_hash + _body(**fields)).encode("ascii")).hexdigest()


def keyed_digest(*, key: bytes, key_id: str, prev_hash: str, **fields: Any) -> str:
    """HMAC-SHA256 with KEY over the previous hash and the body, which names scheme and key."""
    text = prev_hash + _body(**fields, extra={"scheme": KEYED_SCHEME, "key_id": key_id})
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def key_id_for(key: bytes) -> str:
    """A short public name for KEY, derived from it (it reveals nothing about the key)."""
    return hmac.new(key, b"csphub audit chain key id", hashlib.sha256).hexdigest()[:16]


def event_digest(event: Any, keys: Mapping[str, bytes]) -> str | None:
    """The hash EVENT should carry under its own scheme, or None if it cannot be computed."""
    fields = {name: getattr(event, name) for name in CHAINED_FIELDS}
    if event.hash_scheme == LEGACY_SCHEME:
        return legacy_digest(prev_hash=event.prev_hash, **fields)
    key = keys.get(event.key_id)
    if event.hash_scheme != KEYED_SCHEME or key is None:
        return None
    return keyed_digest(key=key, key_id=event.key_id, prev_hash=event.prev_hash, **fields)


def hash_problem(event: Any, keys: Mapping[str, bytes]) -> str:
    """Why EVENT's own hash does not hold, or "" when it does."""
    if event.hash_scheme not in (LEGACY_SCHEME, KEYED_SCHEME):
        return f"event #{event.seq} names an unknown hash scheme {event.hash_scheme!r}"
    digest = event_digest(event, keys)
    if digest is None:
        return (
            f"event #{event.seq} was hashed with key id {event.key_id!r}, which is not configured"
            " (AUDIT_CHAIN_KEY or AUDIT_CHAIN_PREVIOUS_KEYS)"
        )
    if not hmac.compare_digest(digest, event.hash):
        return f"event #{event.seq} was edited after it was written"
    return ""


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as it stood at one moment: its seq and hash, and when (ISO 8601)."""

    seq: int
    hash: str
    at: str


def mismatch_reason(seq: int, checkpoint: Checkpoint) -> str:
    return (
        f"event #{seq} does not match the checkpoint taken {checkpoint.at}:"
        " the trail was rewritten (or cut short and written again) since"
    )


def truncation_reason(first_absent: int, checkpoints: Mapping[int, Checkpoint]) -> str:
    """Why a trail whose first absent seq is FIRST_ABSENT falls short of a checkpoint, or ""."""
    beyond = [c for seq, c in checkpoints.items() if seq >= first_absent]
    if not beyond:
        return ""
    last = max(beyond, key=lambda c: c.seq)
    missing = (
        f"event #{last.seq} is"
        if last.seq == first_absent
        else f"events #{first_absent} to #{last.seq} are"
    )
    return (
        f"{missing} missing: the checkpoint taken {last.at} recorded #{last.seq} as the"
        " newest event (the newest events were removed?)"
    )


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS


def verify_events(
    events: Iterable[Any],
    keys: Mapping[str, bytes],
    checkpoints: Mapping[int, Checkpoint] | None = None,
) -> ChainReport:
    """Walk events in sequence order; name the first one whose link does not hold.

    KEYS maps key ids to keys. CHECKPOINTS maps a seq to the head recorded there: the event at
    each checkpointed seq must carry the recorded hash, and no checkpoint may lie beyond the
    head. Once a keyed event has appeared, every later one must be keyed, and so must the head,
    so a trail recomputed without the key does not verify.
    """
    checkpoints = checkpoints or {}
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    keyed_seen = False
    head: Any = None

    def broken(seq: int, reason: str) -> ChainReport:
        return ChainReport(False, checked, seq, reason, expected_seq - 1, expected_prev)

    for event in events:
        if event.seq != expected_seq:
            return broken(
                expected_seq,
                f"event #{expected_seq} is missing (next present is #{event.seq}): deleted?",
            )
        if event.prev_hash != expected_prev:
            return broken(
                event.seq,
                f"event #{event.seq} does not follow the event before it: deleted or reordered?",
            )
        if event.hash_scheme == LEGACY_SCHEME and keyed_seen:
            return broken(
                event.seq,
                f"event #{event.seq} has an unkeyed hash after keyed ones:"
                " rewritten by someone without the key?",
            )
        problem = hash_problem(event, keys)
        if problem:
            return broken(event.seq, problem)
        checkpoint = checkpoints.get(event.seq)
        if checkpoint is not None and not hmac.compare_digest(checkpoint.hash, event.hash):
            return broken(event.seq, mismatch_reason(event.seq, checkpoint))
        keyed_seen = keyed_seen or event.hash_scheme == KEYED_SCHEME
        head = event
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    if head is not None and head.hash_scheme != KEYED_SCHEME:
        return broken(
            head.seq,
            f"the newest event #{head.seq} has no keyed hash:"
            " the trail may have been recomputed by someone without the key",
        )
    missing = truncation_reason(expected_seq, checkpoints)
    if missing:
        return broken(expected_seq, missing)
    return ChainReport(True, checked, head_seq=expected_seq - 1, head_hash=expected_prev)
