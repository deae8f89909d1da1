"""Forms of the needs assessment page."""

from __future__ import annotations

from django import forms

from csphub.core.forms import GovUKForm
from csphub.sna.choices import FindingKind
from csphub.sna.definitions import preset, preset_keys
from csphub.sna.services import MAX_POPULATION


class BuildForm(GovUKForm):
    definition = forms.ChoiceField(
        label="Definition of serious violence",
        choices=lambda: [(k, preset(k).label) for k in preset_keys()],
    )
    population = forms.IntegerField(
        label="Resident population",
        required=False,
        min_value=1,
        max_value=MAX_POPULATION,
        help_text="The ONS mid-year estimate for the borough, for rates per 100,000.",
    )
    population_under_25 = forms.IntegerField(
        label="Residents aged under 25",
        required=False,
        min_value=1,
        max_value=MAX_POPULATION,
    )


class FindingForm(GovUKForm):
    kind = forms.ChoiceField(choices=FindingKind.choices)
    text = forms.CharField(
        label="Gap or recommendation", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FindingEditForm(GovUKForm):
    text = forms.CharField(
        label="Gap or recommendation", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**9)
