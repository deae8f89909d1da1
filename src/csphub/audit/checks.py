"""System checks: the audit chain needs its key (required, and not the public one, in production)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from csphub.audit.keys import key_problem


@register()
def audit_chain_key_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    problem = key_problem()
    if not problem:
        return []
    return [
        Error(
            problem,
            hint="Set AUDIT_CHAIN_KEY_FILE to a file holding 32 or more random characters, kept"
            " outside the database and its backups (see docs/operations.md).",
            id="audit.E001",
        )
    ]
