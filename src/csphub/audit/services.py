"""Writing audit events. `record` is the only way an AuditEvent is created."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any, TypeVar

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.audit import verbs
from csphub.audit.chain import GENESIS, KEYED_SCHEME, keyed_digest
from csphub.audit.keys import current_key
from csphub.audit.models import AuditEvent
from csphub.audit.verbs import UnregisteredVerb, registered

M = TypeVar("M", bound=models.Model)

logger = logging.getLogger(__name__)

# Arbitrary constant naming the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK_ID = 7_301_2026


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """The client's address when the service sits behind one TLS-terminating proxy.

    REMOTE_ADDR is then the proxy. The proxy appends the address it saw to X-Forwarded-For, so
    the right-most entry is the client; entries to its left came from the client and may be
    forged. Set as AXES_CLIENT_IP_CALLABLE when BEHIND_TLS_PROXY is on (see settings), so
    lockouts and the audit trail use the same address.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


def _client_ip(request: HttpRequest | None) -> str | None:
    # django-axes' rule: REMOTE_ADDR, unless settings name a callable (behind the proxy).
    if request is None:
        return None
    return get_client_ip_address(request) or None


def _target_of(target: models.Model | tuple[str, str] | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        return target[0], str(target[1])
    return target._meta.label_lower, str(target.pk)


def record(
    *,
    verb: str,
    actor: Any = None,
    target: models.Model | tuple[str, str] | None = None,
    payload: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append an event: ACTOR did VERB to TARGET. PAYLOAD holds ids and codes, never personal data.

    The actor defaults to the request's user. Appends are serialised (an advisory lock on
    PostgreSQL; SQLite already allows one writer) so the chain never forks. The hash is keyed
    with AUDIT_CHAIN_KEY; without a usable key nothing is written (ImproperlyConfigured).

    VERB is a constant some app's `verbs` module declares (csphub.audit.verbs); any other is
    refused (UnregisteredVerb) outside production, and in production recorded and logged.
    """
    verb = _checked(verb)
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_label = getattr(actor, "email", "") if actor_id else "system"
    target_type, target_id = _target_of(target)
    user_agent = (request.META.get("HTTP_USER_AGENT", "") if request else "")[:300]
    ip_address = _client_ip(request)
    event = _append(
        AuditEvent,
        actor_id=actor_id,
        actor_label=actor_label,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        payload=payload or {},
        ip_address=ip_address,
        user_agent=user_agent,
    )
    logger.info("audit #%s %s %s:%s", event.seq, verb, target_type, target_id)
    return event


def _checked(verb: str) -> str:
    try:
        registered(verb)
    except UnregisteredVerb:
        if settings.AUDIT_REFUSE_UNREGISTERED_VERBS:
            raise
        # The trail must not lose the event for want of a label.
        logger.error("audit verb %r is not registered", verb)
    return str(verb)


def _append(model: type[M], **fields: Any) -> M:
    """Append one event of MODEL (the model, or a migration's historical one) to the chain.

    The hash is an HMAC with the current key; the sequence and link come from the newest event,
    read under the append lock.
    """
    key_id, key = current_key()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
        last = model._default_manager.order_by("-seq").values("seq", "hash").first()
        seq = (last["seq"] + 1) if last else 1
        prev_hash = last["hash"] if last else GENESIS
        chained = {**fields, "seq": seq, "occurred_at": timezone.now()}
        digest = keyed_digest(key=key, key_id=key_id, prev_hash=prev_hash, **chained)
        event = model(
            **chained, prev_hash=prev_hash, hash=digest, hash_scheme=KEYED_SCHEME, key_id=key_id
        )
        event.save()
    return event


def anchor_unkeyed_trail(model: type[M]) -> M | None:
    """Seal a trail whose newest event has an unkeyed hash with one keyed event after it.

    Run once by the migration that introduced keyed hashes. Events before it keep their plain
    SHA-256 and still verify; the keyed event after them vouches for that history, so it cannot
    be recomputed unnoticed without the key. Returns the new event, or None if none was needed.
    """
    head = model._default_manager.order_by("-seq").values("seq", "hash_scheme").first()
    if head is None or head["hash_scheme"] == KEYED_SCHEME:
        return None
    return _append(
        model,
        actor_id=None,
        actor_label="system",
        verb=verbs.CHAIN_KEYED,
        target_type="",
        target_id="",
        payload={"unkeyed_events": head["seq"]},
        ip_address=None,
        user_agent="",
    )
