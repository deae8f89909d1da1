"""The one error a service raises to refuse a step for a reason the user can put right."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A step a service refuses, saying why: `ServiceError("…")` for the step as a whole, or
    `ServiceError({"field": "…"})` for the field it concerns.

    `csphub.core.editing.form_step` puts it on the form, on the field it names or at the top,
    keeping what was typed. The other two refusals are PermissionDenied (the actor may not take
    the step at all) and `core.concurrency.EditConflict` (someone saved first).
    """
