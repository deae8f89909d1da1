"""Case forms: edits, notes, flags, status, subjects, offending and assignments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from csphub.accounts.models import User
from csphub.core.forms import GovUKDateField, GovUKForm, VersionedForm
from csphub.lib.dates import PAST
from csphub.panels.choices import (
    CaseFlagKind,
    CaseStatus,
    ClosureOutcome,
    RiskLevel,
    SubjectRole,
)
from csphub.people.choices import PlaceKind

# The heaviest Crime Severity Score weight is about 6,500 (homicide); nothing weighs more.
MAX_HARM_WEIGHT = 10_000


class CaseEditForm(VersionedForm):
    """The editable part of a case; `version` is the one the editor loaded. EDITABLE names the
    fields this editor may change (the others are left out of the form)."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    risk_level = forms.ChoiceField(choices=RiskLevel.choices, widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, editable: Iterable[str] = ("summary", "plan", "risk_level"), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in {"summary", "plan", "risk_level"} - set(editable):
            del self.fields[name]


class NoteForm(GovUKForm):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}))


class FlagForm(GovUKForm):
    kind = forms.ChoiceField(label="Flag", choices=CaseFlagKind.choices)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(VersionedForm):
    status = forms.ChoiceField(choices=[], widget=forms.RadioSelect)
    closure_outcome = forms.ChoiceField(
        label="Outcome at closure",
        required=False,
        choices=[("", "Not closing"), *ClosureOutcome.choices],
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, CaseStatus(s).label) for s in allowed]  # type: ignore[attr-defined]
        if CaseStatus.CLOSED not in allowed:  # reopening: there is no outcome to choose
            del self.fields["closure_outcome"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == CaseStatus.CLOSED and not data.get("closure_outcome"):
            self.add_error("closure_outcome", "Choose the outcome at closure")
        return data


class SubjectForm(GovUKForm):
    """Add a person already known (by reference) or a place to a case."""

    role = forms.ChoiceField(choices=SubjectRole.choices)
    person_reference = forms.CharField(
        required=False, label="Person reference", help_text="For example, P-7K3Q9"
    )
    place_name = forms.CharField(required=False, label="Or a place: name")
    place_kind = forms.ChoiceField(required=False, choices=PlaceKind.choices, label="Kind of place")
    lsoa_code = forms.CharField(
        required=False, max_length=9, label="LSOA code", help_text="For example, E01000353"
    )
    ward_name = forms.CharField(
        required=False,
        max_length=100,
        label="Ward",
        help_text="Only for a place outside the borough: a Bexley LSOA code gives the ward.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("person_reference")) == bool(data.get("place_name")):
            self.add_error(None, "Give either a person reference or a place")
        return data


class RemoveSubjectForm(GovUKForm):
    reason = forms.CharField(
        label="Why is this being removed from the case?", widget=forms.Textarea(attrs={"rows": 3})
    )


class OffenceForm(GovUKForm):
    offence_date = GovUKDateField(label="Date of offence", dates=PAST, example="27/03/2024")
    category = forms.ChoiceField(label="Offence category", choices=[])
    harm_weight = forms.FloatField(
        required=False,
        min_value=0,
        max_value=MAX_HARM_WEIGHT,
        help_text="Leave blank to use the crime engine's weight.",
        error_messages={
            "invalid": "Harm weight must be a number, like 330",
            "min_value": f"Harm weight must be between 0 and {MAX_HARM_WEIGHT:,}",
            "max_value": f"Harm weight must be between 0 and {MAX_HARM_WEIGHT:,}",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from csphub.panels.offence_categories import category_choices

        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]


class ClearFlagForm(VersionedForm):
    """Why a flag no longer applies (kept on the case's timeline)."""

    reason = forms.CharField(
        label="Why does this flag no longer apply?", widget=forms.Textarea(attrs={"rows": 3})
    )


class PractitionerChoiceField(forms.ModelChoiceField):
    """Users named with their agency, so two people of the same name can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.agency.name})" if obj.agency else obj.full_name


class AssignForm(GovUKForm):
    practitioner = PractitionerChoiceField(
        label="Practitioner to assign", queryset=User.objects.none()
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = choices  # type: ignore[attr-defined]


class UnassignForm(GovUKForm):
    reason = forms.CharField(
        label="Why are they coming off the case? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
