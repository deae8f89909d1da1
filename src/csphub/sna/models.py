"""The Serious Violence Strategic Needs Assessment: each build, and its gaps and recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from csphub.core.models import BaseModel, VersionedModel
from csphub.sna.choices import FindingKind


class Assessment(BaseModel):
    """One build of the assessment for a window: both outputs, from the same inputs, kept as
    built with the definition used and a hash of every input, so it can be shown as it was."""

    window_start = models.DateField()
    window_end = models.DateField(help_text="The first day of the window's last month")
    area_code = models.CharField(max_length=9)
    definition = models.JSONField(help_text="The definition of serious violence used")
    inputs_sha256 = models.CharField(max_length=64)
    full_html = models.TextField()
    summary_html = models.TextField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    built_at = models.DateTimeField()

    class Meta:
        ordering = ["-built_at"]
        permissions = [
            ("read_assessment", "Read the full (restricted) needs assessment"),
            ("read_summary", "Read the publishable summary of the needs assessment"),
            (
                "build_assessment",
                "Build the needs assessment and edit its gaps and recommendations",
            ),
        ]

    def __str__(self) -> str:
        return f"Needs assessment {self.window_start:%b %Y} to {self.window_end:%b %Y}"


class Finding(VersionedModel):
    """A gap or a recommendation of the assessment for a window, editable by the analyst; a
    VVRAP action answers a recommendation by naming its reference (PlanItem.sna_recommendation)."""

    window_start = models.DateField()
    window_end = models.DateField()
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    # Numbered in the assessment (SNA2023-R1), not drawn: a document label, not a record reference.
    number = models.CharField(max_length=40, unique=True, editable=False)
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["window_start", "kind", "created_at"]

    def __str__(self) -> str:
        return self.number
