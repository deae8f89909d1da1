"""AuditEvent: one shape for every audited action (actor, verb, target, payload)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk UPDATE and DELETE refused in the application (PostgreSQL refuses them too)."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One audited action. Append-only; `hash` chains each event to the one before.

    `seq` is a gap-free sequence assigned under a lock, so deleting an event from the
    middle of the trail breaks both the hash chain and the sequence. The hash is keyed (an HMAC
    with a key outside the database); checkpoints outside the database anchor the newest event.
    Verbs are stored as text ("case.viewed"), not database choices, so new verbs need no
    migration; each is a constant some app registers with its label (csphub.audit.verbs).
    """

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(
        max_length=254, blank=True, help_text="The actor's e-mail at the time, or 'system'."
    )
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    hash_scheme = models.CharField(
        max_length=16,
        help_text="How `hash` was computed: 'hmac-sha256' (keyed), or 'sha256' for events"
        " written before keyed hashes.",
    )
    key_id = models.CharField(
        max_length=16,
        blank=True,
        default="",
        help_text="Which key a keyed hash used (derived from the key).",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        permissions = [
            ("view_audit", "Read the audit trail"),
            ("export_audit", "Export the audit trail as CSV"),
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"]),
            # The DPO's reference filter also matches events naming the record in their payload
            # (a consent override names its case, a link its subject); without these the OR
            # scans the whole trail (docs/adr/0503-audit-payload-key-indexes.md).
            models.Index(KeyTransform("case", "payload"), name="audit_payload_case"),
            models.Index(KeyTransform("subject", "payload"), name="audit_payload_subject"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")
