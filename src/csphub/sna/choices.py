"""Choices of the needs assessment."""

from __future__ import annotations

from django.db import models


class FindingKind(models.TextChoices):
    GAP = "gap", "Gap"
    RECOMMENDATION = "recommendation", "Recommendation"


class Version(models.TextChoices):
    """The two outputs of one build."""

    FULL = "full", "Full assessment (restricted)"
    SUMMARY = "summary", "Publishable summary"
