"""ASB casework on a panel's case: victim risk assessments, incidents, tools and powers."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from csphub.asb.choices import IncidentType, ReportedBy, RiskBand, ToolKind, ToolStatus
from csphub.core.models import BaseModel, VersionedModel
from csphub.panels.models import Case


class RiskAssessment(BaseModel):
    """One victim risk assessment of an ASB case, scored on the matrix of its `matrix_version`.

    Never changed once recorded: a new assessment is a new row with the next `number` for the
    case, so every earlier one stays as it was scored.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="asb_assessments")
    number = models.PositiveIntegerField()
    matrix_version = models.CharField(max_length=20)
    answers = models.JSONField(help_text="Question code -> answered yes.")
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=10, choices=RiskBand.choices)
    assessed_on = models.DateField()
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="asb_one_assessment_number")
        ]

    def __str__(self) -> str:
        return f"Risk assessment {self.number} of {self.case}"


class Incident(VersionedModel):
    """An incident of anti-social behaviour logged on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="asb_incidents")
    occurred_on = models.DateField()
    occurred_time = models.TimeField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=IncidentType.choices)
    description = models.TextField()
    reported_by = models.CharField(max_length=10, choices=ReportedBy.choices)
    police_reference = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-occurred_time", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class ToolUse(VersionedModel):
    """A tool or power used (or planned) on a case, with its dates and where it stands.

    The recipient's name and address are what its letter is addressed to; they are shown only
    on the case's own pages and in the letter, never in a list, an e-mail or the audit trail.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="asb_tools")
    kind = models.CharField(max_length=20, choices=ToolKind.choices)
    status = models.CharField(max_length=10, choices=ToolStatus.choices, default=ToolStatus.PLANNED)
    recipient_name = models.CharField(max_length=200)
    recipient_address = models.TextField(blank=True)
    behaviour = models.TextField(help_text="The behaviour the tool is about, as the letter says.")
    requirements = models.TextField(
        blank=True, help_text="What the recipient must do or stop doing, one a line."
    )
    issued_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(
        null=True, blank=True, help_text="When it expires or is next reviewed."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"
