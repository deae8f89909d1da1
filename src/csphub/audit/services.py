"""Writing audit events. `record` is the only way an AuditEvent is created."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from axes.helpers import get_client_ip_address
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.audit.chain import GENESIS, event_digest
from csphub.audit.models import AuditEvent

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
    PostgreSQL; SQLite already allows one writer) so the chain never forks.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_label = getattr(actor, "email", "") if actor_id else "system"
    target_type, target_id = _target_of(target)
    user_agent = (request.META.get("HTTP_USER_AGENT", "") if request else "")[:300]
    ip_address = _client_ip(request)
    payload = payload or {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        seq = (last["seq"] + 1) if last else 1
        prev_hash = last["hash"] if last else GENESIS
        fields: dict[str, Any] = {
            "seq": seq,
            "occurred_at": timezone.now(),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "verb": verb,
            "target_type": target_type,
            "target_id": target_id,
            "payload": payload,
            "ip_address": ip_address,
            "user_agent": user_agent,
        }
        digest = event_digest(prev_hash=prev_hash, **fields)
        event = AuditEvent(**fields, prev_hash=prev_hash, hash=digest)
        event.save()
    logger.info("audit #%s %s %s:%s", seq, verb, target_type, target_id)
    return event
