"""Built reports, kept with what they were built from, and the narrative written for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from csphub.core.models import BaseModel, VersionedModel


class AnnualReport(BaseModel):
    """One build of the annual partnership delivery report: the HTML exactly as built, the
    SHA-256 of every input it read, who built it and, once given, the CSP manager's sign-off.

    Also carries the app's permissions (Meta.permissions), granted to roles in apps.py.
    """

    year = models.PositiveSmallIntegerField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annual_reports_built"
    )
    html = models.TextField()
    html_sha256 = models.CharField(max_length=64)
    #: The same build as a Word document, for partnerships that edit the report in Word.
    docx = models.BinaryField(editable=False, default=bytes)
    #: [{"name": ..., "sha256": ...}] for every file and record set the build read.
    inputs = models.JSONField(default=list)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reports_signed_off",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_annual", "Read the annual partnership delivery report"),
            ("build_annual", "Build the annual report and write its narrative"),
            ("sign_off_annual", "Sign off a built annual report"),
        ]

    def __str__(self) -> str:
        return f"Annual report {self.year} ({self.html_sha256[:12]})"


class Narrative(VersionedModel):
    """The text the partnership writes around one section's figures for one year, with who
    last wrote it (edits are guarded by `version`, csphub.core.concurrency)."""

    year = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=40)
    text = models.TextField(max_length=20000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "section"], name="one_narrative_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.section}"

    @property
    def paragraphs(self) -> list[str]:
        """The text's paragraphs: blocks separated by a blank line."""
        return [p.strip() for p in self.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
