"""Reading the audit trail (DPO only; the view checks the permission)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from csphub.audit.chain import (
    GENESIS,
    KEYED_SCHEME,
    ChainReport,
    Checkpoint,
    hash_problem,
    mismatch_reason,
    truncation_reason,
    verify_events,
)
from csphub.audit.keys import known_keys
from csphub.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilter:
    actor: str = ""  # the acting user's id
    verb: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_payload(self) -> dict[str, str]:
        """The filters as JSON-safe text, for the audit event of an export."""
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in vars(self).items()
            if value
        }


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_matching(f: EventFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if f.actor:
        events = events.filter(actor_id=UUID(f.actor))
    if f.verb:
        events = events.filter(verb__startswith=f.verb)
    if f.target_type:
        events = events.filter(target_type=f.target_type)
    if f.target_id:
        events = events.filter(target_id=f.target_id)
    if f.date_from:
        events = events.filter(occurred_at__gte=_start_of(f.date_from))
    if f.date_to and f.date_to < date.max:
        events = events.filter(occurred_at__lt=_start_of(f.date_to + timedelta(days=1)))
    return events.order_by("-seq")


def verify_chain(checkpoints: Mapping[int, Checkpoint] | None = None) -> ChainReport:
    """Recompute the whole chain, oldest first, streaming from the database, and hold it to
    CHECKPOINTS (seq -> the head recorded there)."""
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    return verify_events(events, known_keys(), checkpoints)


def check_head(checkpoints: Mapping[int, Checkpoint]) -> ChainReport:
    """The cheap check before a checkpoint: the newest event carries a good keyed hash, reaches
    the latest checkpoint's seq, and the event there still has the recorded hash.

    The full walk (verify_chain) is what proves the links in between.
    """
    head = AuditEvent.objects.order_by("-seq").first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)

    def broken(seq: int, reason: str) -> ChainReport:
        return ChainReport(False, 0, seq, reason, head_seq, head_hash)

    latest = max(checkpoints.values(), key=lambda c: c.seq, default=None)
    if latest is not None:
        missing = truncation_reason(head_seq + 1, {latest.seq: latest})
        if missing:
            return broken(head_seq + 1, missing)
        if latest.seq:
            there = AuditEvent.objects.filter(seq=latest.seq).values_list("hash", flat=True)
            if there.first() != latest.hash:
                return broken(latest.seq, mismatch_reason(latest.seq, latest))
    if head is not None:
        problem = hash_problem(head, known_keys())
        if not problem and head.hash_scheme != KEYED_SCHEME:
            problem = f"the newest event #{head.seq} has no keyed hash"
        if problem:
            return broken(head.seq, problem)
    return ChainReport(True, 0, head_seq=head_seq, head_hash=head_hash)
