"""A case's timeline: what happened to the case, in the order it happened."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from csphub.panels.models import Case, TimelineEntry

if TYPE_CHECKING:
    from csphub.accounts.models import User


def add_timeline_entry(
    *,
    case: Case,
    kind: str,
    actor: User,
    summary: str,
    detail: str = "",
    occurred_at: datetime | None = None,
    source: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> TimelineEntry:
    """Add one entry to a case's timeline (transitions, decisions, actions, notes all use this).

    KIND is free text such as "note", "transition", "meeting.decision", "action.created".
    SOURCE, when given, is the record the entry came from (a meeting decision, an action).
    """
    with transaction.atomic():
        return TimelineEntry.objects.create(
            case=case,
            kind=kind,
            actor=actor if getattr(actor, "pk", None) else None,
            summary=summary[:300],
            detail=detail,
            occurred_at=occurred_at or timezone.now(),
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            payload=payload or {},
        )
