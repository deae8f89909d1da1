"""Community and prevention activity: what the partnership's work did, where, and for which
funded item, so outputs roll up to a grant without re-typing.

Each activity happens at a community place (`people.Place`, recorded with
`do_create_place(community=True)`: a school, an outreach site, a ward or an LSOA, located to
LSOA and ward), and holds counts, never names: it is visible to every signed-in user.
Professional training — the monthly child exploitation workshop among it — is recorded here
once, with its attendees by agency; the NRM app counts the same record.
"""

from __future__ import annotations

from django.db import models

from csphub.accounts.models import Agency
from csphub.community.choices import ActivityKind, Theme
from csphub.core.models import BaseModel, ReferencedModel, VersionedModel
from csphub.funding.models import FundedItem
from csphub.lib.references import ReferenceFormat
from csphub.people.models import Place


class Activity(ReferencedModel, VersionedModel):
    """One session, deployment, workshop or event at a community place."""

    reference_format = ReferenceFormat("A", 5)
    reference = models.CharField(max_length=12, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    theme = models.CharField(max_length=30, choices=Theme.choices)
    topic = models.CharField(max_length=200)
    held_on = models.DateField()
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="activities")
    delivered_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="activities")
    funded_item = models.ForeignKey(
        FundedItem, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    people_reached = models.PositiveIntegerField(
        help_text="Pupils, young people engaged, parents and carers, or attendees."
    )
    referrals_made = models.PositiveIntegerField(null=True, blank=True)
    year_group = models.CharField(max_length=50, blank=True, help_text="School workshops.")
    group = models.CharField(max_length=200, blank=True, help_text="The community group met.")

    class Meta:
        ordering = ["-held_on", "reference"]
        permissions = [("record_activity", "Record your agency's community activity and training")]
        indexes = [models.Index(fields=["held_on", "kind"])]

    def __str__(self) -> str:
        return self.reference


class TrainingAttendance(BaseModel):
    """How many from one agency attended a training session."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    attendees = models.PositiveIntegerField()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "agency"], name="one_count_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.agency}"
