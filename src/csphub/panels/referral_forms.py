"""The person referral's forms: which panel first, then the referral its rules ask for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from csphub.core.forms import GovUKDateField, GovUKForm
from csphub.lib.dates import PAST, age_on
from csphub.panels.choices import RISK_INDICATORS, PanelDecision, ReferralReason, SubjectRole
from csphub.panels.forms import ConsentAndRiskMixin
from csphub.panels.models import Panel
from csphub.people.choices import Ethnicity, Gender


def referral_panels() -> list[Panel]:
    """The panels a person can be referred to: active, and whose rules accept referrals."""
    return [
        p
        for p in Panel.objects.filter(is_active=True).order_by("name")
        if p.rules.makes(PanelDecision.ACCEPT)
    ]


class PanelChoiceForm(GovUKForm):
    """The referral's first question: which panel. No panel is chosen for the referrer."""

    panel = forms.ChoiceField(
        label="Which panel are you referring to?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel you are referring to"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        panels = referral_panels()
        self.fields["panel"].choices = [(p.slug, p.name) for p in panels]  # type: ignore[attr-defined]
        self.panels = {p.slug: p for p in panels}


class ReferralForm(GovUKForm, ConsentAndRiskMixin):
    """A referral of one person to a panel: PANEL, chosen first, decides whether the risk
    screen is asked (its rules, ADR 0012)."""

    panel = forms.ModelChoiceField(
        queryset=Panel.objects.filter(is_active=True),
        empty_label="Choose a panel",
        error_messages={"required": "Select the panel you are referring to"},
    )
    given_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter the person's given name"}
    )
    family_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter the person's family name"}
    )
    date_of_birth = GovUKDateField(
        label="Date of birth", dates=PAST, required=False, example="27/03/2011"
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_KNOWN)
    ethnicity = forms.ChoiceField(choices=Ethnicity.choices, initial=Ethnicity.NOT_STATED)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    role = forms.ChoiceField(
        label="The person is",
        choices=SubjectRole.choices[:4],
        error_messages={"required": "Select who the person is"},
    )
    reason_category = forms.ChoiceField(
        label="Main reason",
        choices=ReferralReason.choices,
        error_messages={"required": "Select the main reason for the referral"},
    )
    reason = forms.CharField(
        label="Why are you referring?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you are referring the person"},
    )
    confirm_new = forms.BooleanField(
        required=False, label="None of these is the same person: create a new record"
    )

    field_order = [
        "panel",
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "address",
        "role",
        "reason_category",
        "reason",
        "consent_given",
        "lawful_basis",
        "override_reason",
        "risk_level",
    ]

    def __init__(self, *args: Any, panel: Panel | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_level"].error_messages["required"] = "Select the risk level"
        if panel is not None:
            # Chosen on the first step: carried, not asked again, and its rules shape the form.
            self.fields["panel"].widget = forms.HiddenInput()
            self.fields["panel"].initial = panel.pk
            if not panel.rules.risk_screen:
                for code, _ in RISK_INDICATORS:
                    del self.fields[f"indicator_{code}"]
            if not panel.rules.consent_required:
                self.fields[
                    "consent_given"
                ].help_text = (
                    f"Referrals to {panel.name} need no consent: you may leave this unanswered."
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dob = data.get("date_of_birth")
        age = age_on(dob, timezone.localdate()) if dob else None
        self.check_consent_and_risk(panel=data.get("panel"), ages=[age])
        return data
