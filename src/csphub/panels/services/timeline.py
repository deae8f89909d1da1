"""A case event: one call writes the case's timeline entry and its audit event together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from csphub.audit import record
from csphub.audit.verbs import Verb
from csphub.panels.models import Case, TimelineEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from csphub.accounts.models import User


def record_case_event(
    *,
    verb: Verb,
    actor: User | None,
    case: Case | None,
    summary: str = "",
    detail: str = "",
    source: models.Model | None = None,
    target: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    on_timeline: bool = True,
    request: HttpRequest | None = None,
) -> TimelineEntry | None:
    """Record that ACTOR did VERB to CASE: its timeline entry and its audit event, in one
    transaction, so neither is ever written without the other.

    VERB is a registered constant (csphub.audit.verbs); the entry's `kind` is the verb, so the
    timeline and the audit trail share one vocabulary. The entry is written when the verb is
    marked `timeline` and ON_TIMELINE holds (False for an occurrence with nothing to show, such
    as an action's note that leaves its status as it was); CASE None records the audit event
    alone (an action for a whole meeting). SUMMARY and DETAIL are the entry's text; SOURCE is
    the record the entry came from. The audit event's target is TARGET, or else the case, and
    its PAYLOAD (ids and codes, never personal data) also names the entry written. Returns the
    entry, or None when none was written.
    """
    with transaction.atomic():
        entry = None
        if case is not None and verb.timeline and on_timeline:
            entry = TimelineEntry.objects.create(
                case=case,
                kind=str(verb),
                actor=actor if getattr(actor, "pk", None) else None,
                summary=summary[:300],
                detail=detail,
                source_type=source._meta.label_lower if source is not None else "",
                source_id=str(source.pk) if source is not None else "",
                payload=payload or {},
            )
        audited = dict(payload or {})
        if entry is not None:
            audited["entry"] = str(entry.pk)
        record(
            verb=verb,
            actor=actor,
            target=target if target is not None else case,
            payload=audited,
            request=request,
        )
    return entry
