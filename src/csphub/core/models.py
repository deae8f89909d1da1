"""Base models shared by every app."""

from __future__ import annotations

import uuid

from django.db import models


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
