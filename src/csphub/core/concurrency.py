"""Optimistic concurrency: a save succeeds only if nobody saved the row since it was read."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone


class EditConflict(Exception):
    """Someone else saved this record after you opened it."""

    def __init__(self, current_version: int) -> None:
        super().__init__("This record was changed by someone else after you opened it.")
        self.current_version = current_version


def save_if_unchanged(
    obj: models.Model,
    *,
    expected_version: int | None = None,
    fields: dict[str, Any],
    version_field: str = "version",
) -> int:
    """Write FIELDS to OBJ if its stored version is still EXPECTED_VERSION; return the new version.

    EXPECTED_VERSION is the version the editor loaded (a form's hidden `version`); None means
    the version OBJ was read with. One conditional UPDATE, so two concurrent saves cannot both
    succeed; the version goes up even when FIELDS is empty, so a change kept in other rows (a
    meeting's attendance, a review's complaints) makes older forms stale too. VERSION_FIELD
    names the counter, for a part of a record edited on its own (a meeting's attendance).
    """
    model = type(obj)
    loaded: int = getattr(obj, version_field)
    expected = loaded if expected_version is None else expected_version
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields = {"updated_at": timezone.now(), **fields}
    updated = model._default_manager.filter(pk=obj.pk, **{version_field: expected}).update(
        **fields, **{version_field: F(version_field) + 1}
    )
    if updated != 1:
        current = (
            model._default_manager.filter(pk=obj.pk).values_list(version_field, flat=True).first()
        )
        raise EditConflict(current or 0)
    for name, value in fields.items():
        setattr(obj, name, value)
    setattr(obj, version_field, expected + 1)
    return expected + 1
