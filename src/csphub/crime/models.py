"""The crime app keeps only a record of web imports; the figures live in the crimestats warehouse."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from csphub.core.models import BaseModel
from csphub.crime.choices import ImportStatus


class CrimeDataImport(BaseModel):
    """One file uploaded on the import page: who sent it, when, its SHA-256 and what happened.

    The warehouse keeps provenance for the data itself; this record keeps the person, including
    for rejected files, which leave nothing in the warehouse. It also carries the app's
    permissions (Meta.permissions), granted to roles in apps.py.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crime_imports"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=ImportStatus.choices)
    # One line per file found in the upload (a zip may hold several): format, rows, months or error.
    detail = models.TextField(blank=True)
    rows = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_figures", "See the partnership's crime figures"),
            ("view_hotspots", "See the hot spot map and ranked areas"),
            ("download_figures", "Download crime figures as CSV (small numbers suppressed)"),
            ("import_data", "Import police recorded crime files"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"
