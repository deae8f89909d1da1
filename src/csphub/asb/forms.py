"""ASB casework forms (GOV.UK rendering from the core mixin)."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.asb.choices import IncidentType, ReportedBy, ToolKind, ToolStatus
from csphub.asb.matrix import current_matrix
from csphub.core.forms import GovUKDateField, GovUKForm, VersionedForm
from csphub.lib.dates import PAST, PLANNING

YES_NO = [("yes", "Yes"), ("no", "No")]


class RiskAssessmentForm(GovUKForm):
    """One yes/no question for each question of the current matrix, then the date and notes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        questions: dict[str, forms.Field] = {
            f"q_{q.code}": forms.ChoiceField(label=q.text, choices=YES_NO, widget=forms.RadioSelect)
            for q in current_matrix().questions
        }
        # The questions come first; the mixin then gives them GOV.UK classes and messages.
        self.base_fields = {**questions, **type(self).base_fields}  # type: ignore[misc]
        super().__init__(*args, **kwargs)

    assessed_on = GovUKDateField(label="Date of the assessment", dates=PAST)
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def answers(self) -> dict[str, bool]:
        return {
            name.removeprefix("q_"): value == "yes"
            for name, value in self.cleaned_data.items()
            if name.startswith("q_")
        }


class IncidentForm(VersionedForm):
    occurred_on = GovUKDateField(label="Date of the incident", dates=PAST)
    occurred_time = forms.TimeField(
        label="Time of the incident (optional)",
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 21:30",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter a real time, for example 21:30"},
    )
    kind = forms.ChoiceField(label="Type of incident", choices=IncidentType.choices)
    description = forms.CharField(
        label="What happened", max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    reported_by = forms.ChoiceField(label="Reported by", choices=ReportedBy.choices)
    police_reference = forms.CharField(
        label="Police reference (optional)",
        required=False,
        max_length=40,
        help_text="The crime or CAD number, if the police were told.",
    )


class NewIncidentForm(IncidentForm):
    """The same form for a new incident: nothing saved yet, so no version to carry."""

    version = None  # type: ignore[assignment]


class ToolForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=ToolStatus.choices)
    recipient_name = forms.CharField(
        label="Name of the person it is for",
        max_length=200,
        help_text="The letter is addressed to them.",
    )
    recipient_address = forms.CharField(
        label="Their address (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    behaviour = forms.CharField(
        label="The behaviour it is about",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="As the letter will say it, for example 'playing loud music late at night'.",
    )
    requirements = forms.CharField(
        label="What they must do or stop doing (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line.",
    )
    issued_on = GovUKDateField(label="Date issued (optional)", dates=PAST, required=False)
    served_on = GovUKDateField(label="Date served (optional)", dates=PAST, required=False)
    review_on = GovUKDateField(
        label="Expiry or review date (optional)",
        dates=PLANNING,
        required=False,
        error_name="The expiry or review date",
    )


class NewToolForm(ToolForm):
    kind = forms.ChoiceField(label="Tool or power", choices=ToolKind.choices)
    version = None  # type: ignore[assignment]

    field_order = ["kind"]
