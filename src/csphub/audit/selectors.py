"""Reading the audit trail (DPO only; the view checks the permission)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from csphub.audit.chain import ChainReport, verify_events
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


def verify_chain() -> ChainReport:
    """Recompute the whole chain, oldest first, streaming from the database."""
    return verify_events(AuditEvent.objects.order_by("seq").iterator(chunk_size=2000))
