"""Optimistic concurrency: a save succeeds only if nobody saved the row since it was read."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


class EditConflict(Exception):
    """Someone else saved this record after you opened it."""

    def __init__(self, current_version: int) -> None:
        super().__init__("This record was changed by someone else after you opened it.")
        self.current_version = current_version


def save_if_unchanged(obj: models.Model, *, expected_version: int, fields: dict[str, Any]) -> int:
    """Write FIELDS to OBJ if its stored version is still EXPECTED_VERSION; return the new version.

    One conditional UPDATE, so two concurrent saves cannot both succeed.
    """
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        **fields, version=F("version") + 1
    )
    if updated != 1:
        current = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise EditConflict(current or 0)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version = expected_version + 1  # type: ignore[attr-defined]
    return expected_version + 1
