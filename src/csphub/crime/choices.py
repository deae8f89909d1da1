"""Choices for the crime pages."""

from __future__ import annotations

from django.db import models


class PeriodKind(models.TextChoices):
    """How a year is cut: calendar, financial (April-March) or the SV Duty's October-September."""

    CALENDAR = "calendar", "Calendar year (January to December)"
    FINANCIAL = "financial", "Financial year (April to March)"
    SV_DUTY = "sv_duty", "Serious Violence Duty year (October to September)"
    ROLLING = "rolling", "Rolling 12 months to the latest month, against the 12 months before"
    MONTH = "month", "The latest month, against the same month a year earlier"


class ImportStatus(models.TextChoices):
    """What happened to an uploaded file."""

    IMPORTED = "imported", "Imported"
    REJECTED = "rejected", "Rejected"


class MapColour(models.TextChoices):
    """What the hot spot map's colours show."""

    GISTAR = "gistar", "Hot and cold spots (Gi*, after false discovery rate control)"
    COUNT = "count", "Number of crimes"
    RATE = "rate", "Crimes per 1,000 residents"


class HotspotLevel(models.TextChoices):
    """Which areas the hot spot page ranks and maps."""

    AUTO = "auto", "LSOAs where the MPS LSOA file covers the whole period, otherwise wards"
    LSOA = "lsoa", "Lower layer super output areas (LSOAs)"
    WARD = "ward", "Wards"
