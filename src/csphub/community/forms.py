"""The activity form: what, when, where (a community place, or a new one located by its LSOA
code) and how many."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.community.choices import ActivityKind, Theme
from csphub.core.forms import GovUKDateField, GovUKForm
from csphub.funding.models import FundedItem
from csphub.lib.dates import PAST
from csphub.people.choices import PlaceKind
from csphub.people.models import Place

PLACE_KINDS = [(k, label) for k, label in PlaceKind.choices if k != PlaceKind.ADDRESS]


class ActivityForm(GovUKForm):
    kind = forms.ChoiceField(label="Kind of activity", choices=ActivityKind.choices)
    theme = forms.ChoiceField(choices=Theme.choices)
    topic = forms.CharField(max_length=200)
    held_on = GovUKDateField(label="Date", dates=PAST)
    place = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        required=False,
        label="Place",
        help_text="A school, site, ward or LSOA already recorded.",
    )
    new_place_name = forms.CharField(
        max_length=200, required=False, label="Or a new place: its name"
    )
    new_place_kind = forms.ChoiceField(
        choices=PLACE_KINDS, required=False, label="The new place is a"
    )
    new_place_lsoa = forms.CharField(
        max_length=9, required=False, label="The new place's LSOA code", help_text="Like E01000353"
    )
    new_place_latitude = forms.DecimalField(
        required=False,
        min_value=49,
        max_value=61,
        decimal_places=6,
        label="Or its latitude",
        help_text="Like 51.4549: the LSOA and ward are worked out from the point",
    )
    new_place_longitude = forms.DecimalField(
        required=False, min_value=-8, max_value=2, decimal_places=6, label="and longitude"
    )
    funded_item = forms.ModelChoiceField(
        queryset=FundedItem.objects.none(), required=False, label="Counted towards"
    )
    people_reached = forms.IntegerField(
        min_value=0, max_value=100_000, help_text="Pupils, young people, parents or attendees."
    )
    hours = forms.DecimalField(min_value=0, max_value=999, decimal_places=2, required=False)
    referrals_made = forms.IntegerField(min_value=0, max_value=10_000, required=False)
    year_group = forms.CharField(max_length=50, required=False)
    group = forms.CharField(max_length=200, required=False, label="Community group")

    def __init__(self, *args: Any, places: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place_field: Any = self.fields["place"]
        place_field.queryset = places
        place_field.label_from_instance = lambda p: f"{p.name} ({p.ward or p.lsoa_code})"
        item_field: Any = self.fields["funded_item"]
        item_field.queryset = items

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("new_place_name"):
            self.add_error("place", "Choose a place, or name a new one")
        return data


class AttendanceForm(GovUKForm):
    """How many from each agency attended a training session; `attendance_form` adds a field
    per agency."""


def attendance_form(agencies: list[Any]) -> type[AttendanceForm]:
    fields = {
        f"agency_{a.pk}": forms.IntegerField(
            label=a.name,
            required=False,
            min_value=0,
            max_value=10_000,
            widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        )
        for a in agencies
    }
    return type("AttendanceFormFor", (AttendanceForm,), fields)
