"""Reading the audit trail (DPO only; the view checks the permission)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
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
from csphub.core.models import ReferencedModel


@dataclass(frozen=True)
class EventFilter:
    actor: str = ""  # the acting user's id
    verb: str = ""
    target_type: str = ""
    target_id: str = ""
    reference: str = ""  # a case's, person's or other record's reference, as shown on screen
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


def _referenced_models() -> list[type[ReferencedModel]]:
    return [m for m in apps.get_models() if issubclass(m, ReferencedModel)]


def normalise_reference(text: str) -> str:
    return text.strip().upper()


def records_with_reference(reference: str) -> list[tuple[str, str]]:
    """(record type, id) of every record known by REFERENCE (a case, person, place, case
    review…: any `ReferencedModel`); empty when none is."""
    found = []
    for model in _referenced_models():
        manager: Any = model._default_manager  # every ReferencedModel declares `reference`
        for pk in manager.filter(reference=normalise_reference(reference)).values_list(
            "pk", flat=True
        ):
            found.append((model._meta.label_lower, str(pk)))
    return found


def _about_reference(reference: str) -> Q:
    """The events about the record REFERENCE names: those whose target it is, and those that
    name it in their payload (a consent override names its case; a link, its subject)."""
    match = Q(pk__in=[])
    for target_type, target_id in records_with_reference(reference):
        match |= Q(target_type=target_type, target_id=target_id) | Q(payload__case=target_id)
    return match | Q(payload__subject=normalise_reference(reference))


def _valid_keys(model: type[ReferencedModel], ids: set[str]) -> list[Any]:
    # An event may name a record by an id that is no key of the model (a test's, a typo's).
    keys = []
    for value in ids:
        try:
            keys.append(model._meta.pk.to_python(value))  # type: ignore[union-attr]
        except ValidationError:
            continue
    return keys


def known_as(events: list[AuditEvent]) -> dict[tuple[str, str], tuple[str, str]]:
    """(target type, id) -> ("Case", "C-7K3Q9"): each event's record's kind and reference."""
    wanted: dict[str, set[str]] = {}
    for e in events:
        if e.target_type and e.target_id:
            wanted.setdefault(e.target_type, set()).add(e.target_id)
    by_label = {m._meta.label_lower: m for m in _referenced_models()}
    shown = {}
    for target_type, ids in wanted.items():
        model = by_label.get(target_type)
        if model is None:
            continue
        name = str(model._meta.verbose_name).capitalize()
        manager: Any = model._default_manager
        rows = manager.filter(pk__in=_valid_keys(model, ids)).values_list("pk", "reference")
        for pk, reference in rows:
            shown[(target_type, str(pk))] = (name, reference)
    return shown


def events_matching(f: EventFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if f.reference:
        events = events.filter(_about_reference(f.reference))
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


#: Events read per query by `verify_chain`: memory holds one chunk, whatever the trail's length.
VERIFY_CHUNK = 10_000


def events_in_chunks(
    chunk_size: int = VERIFY_CHUNK, progress: Callable[[int], None] | None = None
) -> Iterator[AuditEvent]:
    """Every event, oldest first, read CHUNK_SIZE at a time by seq (keyset, not OFFSET).

    Each chunk is one query on the unique seq index (`seq > last ORDER BY seq LIMIT n`), so the
    cost per chunk stays the same at the millionth event, no server-side cursor is held open
    for the whole walk, and only one chunk is in memory. PROGRESS is told how many events have
    been handed on after each chunk.
    """
    last_seq = 0
    handed = 0
    while True:
        chunk = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:chunk_size])
        yield from chunk
        handed += len(chunk)
        if progress is not None and chunk:
            progress(handed)
        if len(chunk) < chunk_size:
            return
        last_seq = chunk[-1].seq


def newest_seq() -> int:
    """The head's seq (0 for an empty trail): the length the walk will report progress against."""
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def verify_chain(
    checkpoints: Mapping[int, Checkpoint] | None = None,
    *,
    chunk_size: int = VERIFY_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> ChainReport:
    """Recompute the whole chain, oldest first, one chunk of events at a time, and hold it to
    CHECKPOINTS (seq -> the head recorded there). PROGRESS is told the events read so far."""
    events = events_in_chunks(chunk_size, progress)
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
