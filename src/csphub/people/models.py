"""Subjects of casework: people (pseudonymous by default) and places."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from csphub.core.models import BaseModel, ReferencedModel, VersionedModel
from csphub.lib.dates import age_on
from csphub.lib.references import ReferenceFormat
from csphub.people.choices import Ethnicity, Gender, PlaceKind
from csphub.people.geography import ward_for_lsoa


def name_key(given_name: str, family_name: str) -> str:
    """Names folded for duplicate matching: lower case, single spaces."""
    return " ".join(f"{given_name} {family_name}".lower().split())


class Person(ReferencedModel, VersionedModel):
    """A child, victim, suspect or perpetrator known to the partnership.

    Shown everywhere by `reference`; the identifying fields are revealed only to those
    entitled (people.reveal_identity and a case they may see), and each reveal is audited.
    """

    reference_format = ReferenceFormat("P", 5)  # P-7K3Q9
    reference = models.CharField(max_length=12, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    name_key = models.CharField(max_length=210, db_index=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(
        max_length=20, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED
    )
    # A merged record keeps existing (so old references still resolve) and points to the survivor.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "people"
        permissions = [
            ("reveal_identity", "Reveal the name, date of birth and address of a person on a case"),
            ("merge", "Merge two records of the same person"),
            ("search_signpost", "Ask whether a person is known to the partnership, and to whom"),
        ]

    def __str__(self) -> str:
        # Never the name: str() ends up in logs, admin lists and error pages.
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = name_key(self.given_name, self.family_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def age_on(self, day: date) -> int | None:
        """Age in whole years on DAY, or None when the date of birth is not known."""
        return None if self.date_of_birth is None else age_on(self.date_of_birth, day)


class Place(ReferencedModel, BaseModel):
    """A location worked like a person: an address, school, park, station or neighbourhood.

    Two kinds of place (docs/adr/0013-generalised-action-and-place.md): a case's place, seen
    only by those who may open a case about it; and a community place (a school, a ward, an
    outreach site) recorded for the partnership's community work, which every signed-in
    partnership user sees — its name, kind and area, never the cases about it, which keep the
    case's rule. A home address is never a community place, and a place is a community place
    only because it was recorded as one: a case's place never becomes one by losing its cases.
    """

    reference_format = ReferenceFormat("L", 5)  # L-7K3Q9
    reference = models.CharField(max_length=12, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True, db_index=True)
    ward_name = models.CharField(max_length=100, blank=True)
    is_community_place = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_community_place=True, kind=PlaceKind.ADDRESS),
                name="community_place_is_not_a_home_address",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def ward(self) -> str:
        """The ward from the LSOA code (best fit, approximate), else the ward as recorded."""
        found = ward_for_lsoa(self.lsoa_code)
        return found.name if found else self.ward_name

    @property
    def ward_is_approximate(self) -> bool:
        """True when the ward was worked out from the LSOA code (LSOAs do not nest in wards)."""
        return ward_for_lsoa(self.lsoa_code) is not None

    @property
    def label(self) -> str:
        """What pages show: a home address is personal, so only its area is named."""
        if self.kind == PlaceKind.ADDRESS:
            return f"An address in {self.ward or self.lsoa_code or 'the borough'}"
        return self.name


class PersonMerge(BaseModel):
    """The history of a merge: which record was folded into which, by whom and why."""

    surviving = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_out")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    # Ids of the case subjects and offences moved to the survivor, so a merge can be traced.
    moved = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged} into {self.surviving}"
