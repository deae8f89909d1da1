"""The audit chain's keys, read from settings (the environment), never from the database."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from csphub.audit.chain import key_id_for

MIN_KEY_LENGTH = 32


def key_problem() -> str:
    """Why the configured current key may not be used, or "" when it may."""
    key = settings.AUDIT_CHAIN_KEY or ""
    if not key:
        return "AUDIT_CHAIN_KEY (or AUDIT_CHAIN_KEY_FILE) is not set."
    if getattr(settings, "PRODUCTION", False):
        if key == settings.AUDIT_CHAIN_DEVELOPMENT_KEY:
            return "AUDIT_CHAIN_KEY is the development key, which is public."
        if len(key) < MIN_KEY_LENGTH:
            return f"AUDIT_CHAIN_KEY is shorter than {MIN_KEY_LENGTH} characters."
    return ""


def current_key() -> tuple[str, bytes]:
    """(key id, key) that new events are hashed with."""
    problem = key_problem()
    if problem:
        raise ImproperlyConfigured(f"Audit events cannot be written: {problem}")
    key = settings.AUDIT_CHAIN_KEY.encode("utf-8")
    return key_id_for(key), key


def known_keys() -> dict[str, bytes]:
    """Every key an event may have been hashed with, by key id: the current and previous ones."""
    texts = [*settings.AUDIT_CHAIN_PREVIOUS_KEYS, settings.AUDIT_CHAIN_KEY]
    if getattr(settings, "PRODUCTION", False):
        # Anyone can hash with the public development key: it vouches for nothing here.
        texts = [t for t in texts if t != settings.AUDIT_CHAIN_DEVELOPMENT_KEY]
    keys = [t.encode("utf-8") for t in texts if t]
    return {key_id_for(key): key for key in keys}
