"""The audit trail: who did what to which record, append-only and hash-chained.

Write events only through `csphub.audit.record(...)` (called from services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csphub.audit.models import AuditEvent


def record(**kwargs: Any) -> AuditEvent:
    """Append one audit event; see csphub.audit.services.record for the arguments."""
    from csphub.audit.services import record as _record

    return _record(**kwargs)
