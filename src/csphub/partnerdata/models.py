"""Partner extracts: counts a partner shares under an agreement, with where they came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from csphub.core.models import BaseModel
from csphub.partnerdata.choices import Layout


class Extract(BaseModel):
    """One imported file: its name, SHA-256, who imported it and when, the sharing agreement it
    came under, and the column mapping it was read with (so the import can be repeated)."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    supplier = models.CharField(max_length=200)
    agreement_reference = models.CharField(max_length=100)
    layout = models.CharField(max_length=20, choices=Layout.choices)
    mapping = models.JSONField()
    rows_read = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at"]
        permissions = [
            ("view_extracts", "See partner extracts and their counts (suppressed)"),
            ("import_extracts", "Import a partner extract"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.supplier})"


class Count(BaseModel):
    """A count for one month, one area (a GSS code) and one measure, from one extract."""

    extract = models.ForeignKey(Extract, on_delete=models.CASCADE, related_name="counts")
    month = models.DateField(help_text="The first day of the month counted")
    area_code = models.CharField(max_length=9)
    measure = models.CharField(max_length=60)
    value = models.PositiveIntegerField()

    class Meta:
        ordering = ["measure", "month", "area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["extract", "month", "area_code", "measure"], name="one_count_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m} {self.area_code}: {self.value}"
