"""Base models shared by every app."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models

from csphub.lib.references import ReferenceFormat, save_with_new_reference


class BaseModel(models.Model):
    """A UUID primary key (so ids in URLs reveal nothing about volumes) and timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(BaseModel):
    """A model edited by several people: `version` guards against silent overwrites.

    Services compare the version a form was loaded with against the stored one
    (see csphub.core.concurrency.save_if_unchanged).
    """

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ReferencedModel(models.Model):
    """A record known to people by a reference of REFERENCE_FORMAT (csphub.lib.references),
    given on its first save; the subclass declares the `reference` field itself."""

    reference_format: ClassVar[ReferenceFormat]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "reference", ""):
            super().save(*args, **kwargs)
            return
        manager: Any = type(self)._default_manager  # a subclass has the field
        save_with_new_reference(
            self,  # type: ignore[arg-type]
            self.reference_format,
            lambda: super(ReferencedModel, self).save(*args, **kwargs),
            taken=lambda reference: manager.filter(reference=reference).exists(),
        )
