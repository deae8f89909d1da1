"""Place referral, escalation, transfer and decision forms, with the consent-and-risk questions
they share (GOV.UK rendering). A person's referral is in `csphub.panels.referral_forms`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from csphub.accounts.models import Agency
from csphub.core.forms import GovUKForm
from csphub.panels.choices import (
    INDICATOR_SCORES,
    RISK_INDICATORS,
    LawfulBasis,
    ReferralReason,
    RiskLevel,
)
from csphub.panels.models import Panel
from csphub.panels.rules import CONSENT_NOT_ANSWERED, consent_errors
from csphub.people.choices import PlaceKind
from csphub.people.geography import is_lsoa_code, normalise_lsoa

YES_NO = [("yes", "Yes"), ("no", "No")]


def consent_answer(data: dict[str, Any]) -> bool | None:
    """The consent question's answer in a form's cleaned DATA: None where it was not answered
    (a panel whose rules do not require consent does not need it)."""
    return {"yes": True, "no": False}.get(data.get("consent_given") or "")


def indicators_in(data: dict[str, Any]) -> dict[str, int]:
    """The risk screen's scores in a consent-and-risk form's cleaned DATA, by indicator code."""
    return {
        code: data[f"indicator_{code}"]
        for code, _ in RISK_INDICATORS
        if data.get(f"indicator_{code}") is not None
    }


class ConsentAndRiskMixin(forms.Form):
    """Consent (or the override), risk level and, for panels that use it, the risk screen.

    Which of them a referral needs is the receiving panel's rules (`Panel.rules`).
    """

    consent_given = forms.ChoiceField(
        label="Has the person (or, for a child, their parent or carer) consented?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text="Not asked by a panel whose referrals need no consent.",
    )
    lawful_basis = forms.ChoiceField(
        label="If not, the lawful basis for proceeding without consent",
        choices=[("", "Not applicable"), *LawfulBasis.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label="If not, why you are proceeding without consent",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This override is recorded in the audit trail.",
    )
    risk_level = forms.ChoiceField(choices=RiskLevel.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, question in RISK_INDICATORS:
            self.fields[f"indicator_{code}"] = forms.TypedChoiceField(
                label=question,
                choices=INDICATOR_SCORES,
                coerce=int,
                required=False,
                empty_value=None,
                help_text="Risk screen (CREST): score 0 to 3",
            )

    def indicators(self) -> dict[str, int]:
        return indicators_in(self.cleaned_data)

    def check_consent_and_risk(self, *, panel: Panel | None, ages: list[int | None]) -> None:
        """AGES: one per person the referral or case is about (None where not known)."""
        data = self.cleaned_data
        if panel is None:
            return  # the panel's own field says what is wrong
        rules = panel.rules
        for field, message in rules.consent_errors(
            consent_given=consent_answer(data),
            lawful_basis=data.get("lawful_basis", ""),
            override_reason=data.get("override_reason", ""),
        ).items():
            self.add_error(field, message)
        if "risk_level" in data:
            errors = rules.screen_errors(
                indicators=self.indicators(), risk_level=data["risk_level"], ages=ages
            )
            for field, message in errors.items():
                if field == "indicators":
                    self.add_error(None, message)
                else:
                    self.add_error(field, message)


class PlaceReferralForm(GovUKForm, ConsentAndRiskMixin):
    """A referral of one place (an address, school, park, station or neighbourhood) to a panel:
    a place already known, by its reference, or a new one."""

    panel = forms.ModelChoiceField(queryset=Panel.objects.filter(is_active=True), empty_label=None)
    place_reference = forms.CharField(
        required=False,
        max_length=12,
        label="A place already known: its reference",
        help_text="For example, L-7K3Q9. Leave blank to describe a new place below.",
    )
    place_name = forms.CharField(required=False, max_length=200, label="Or a new place: name")
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
    reason_category = forms.ChoiceField(label="Main reason", choices=ReferralReason.choices)
    reason = forms.CharField(
        label="Why are you referring this place?", widget=forms.Textarea(attrs={"rows": 4})
    )

    field_order = [
        "panel",
        "place_reference",
        "place_name",
        "place_kind",
        "lsoa_code",
        "ward_name",
        "reason_category",
        "reason",
        "consent_given",
        "lawful_basis",
        "override_reason",
        "risk_level",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "consent_given"
        ].label = (
            "Have the people this information is about (for example, a home's occupants) consented?"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reference, name = data.get("place_reference", ""), data.get("place_name", "")
        if bool(reference) == bool(name):
            self.add_error(None, "Give either the reference of a known place or a new place's name")
        elif name and not data.get("place_kind"):
            self.add_error("place_kind", "Choose the kind of place")
        lsoa = normalise_lsoa(data.get("lsoa_code", ""))
        if name and lsoa and not is_lsoa_code(lsoa):
            self.add_error("lsoa_code", "Enter an LSOA code like E01000353")
        # A place has no age: the screen's scores and the indicator-3 rule still apply.
        self.check_consent_and_risk(panel=data.get("panel"), ages=[])
        return data


def escalation_targets(case: Any) -> Any:
    """The panels CASE may be escalated to: every other active panel."""
    return Panel.objects.filter(is_active=True).exclude(pk=case.panel_id).order_by("name")


class EscalationTargetForm(GovUKForm):
    """An escalation's first question: which panel. None is chosen for the co-ordinator."""

    to = forms.ChoiceField(
        label="Which panel are you escalating to?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel you are escalating to"},
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(p.slug, p.name) for p in escalation_targets(case)]  # type: ignore[attr-defined]


class EscalationForm(GovUKForm, ConsentAndRiskMixin):
    """Ask another panel to take a case."""

    to_panel = forms.ModelChoiceField(
        label="Escalate to", queryset=Panel.objects.none(), empty_label=None
    )
    reason_category = forms.ChoiceField(label="Main reason", choices=ReferralReason.choices)
    reason = forms.CharField(label="Why escalate?", widget=forms.Textarea(attrs={"rows": 4}))
    field_order = [
        "to_panel",
        "reason_category",
        "reason",
        "consent_given",
        "lawful_basis",
        "override_reason",
        "risk_level",
    ]

    def __init__(self, *args: Any, case: Any, to_panel: Panel | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["to_panel"].queryset = escalation_targets(case)  # type: ignore[attr-defined]
        if to_panel is not None:
            # Chosen on the first step: carried, not asked again, and its rules shape the form
            # (no CREST risk screen for an adult escalated to the VIP, say).
            self.fields["to_panel"].widget = forms.HiddenInput()
            self.fields["to_panel"].initial = to_panel.pk
            if not to_panel.rules.risk_screen:
                for code, _ in RISK_INDICATORS:
                    del self.fields[f"indicator_{code}"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_consent_and_risk(panel=data.get("to_panel"), ages=self.case.subject_ages())
        return data


class TransferForm(GovUKForm):
    """Hand a case to another agency."""

    to_agency = forms.ModelChoiceField(
        label="Transfer to", queryset=Agency.objects.filter(is_active=True)
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    consent_given = forms.ChoiceField(
        label="Has the person consented to the transfer?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    lawful_basis = forms.ChoiceField(
        choices=[("", "Not applicable"), *LawfulBasis.choices], required=False
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="If not, why you are proceeding without consent",
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The case stays on its panel, whose rules say whether a transfer needs consent.
        answer = consent_answer(data)
        if self.case is not None:
            errors = self.case.panel.rules.consent_errors(
                consent_given=answer,
                lawful_basis=data.get("lawful_basis", ""),
                override_reason=data.get("override_reason", ""),
            )
        elif answer is None:
            errors = {"consent_given": CONSENT_NOT_ANSWERED}
        else:
            errors = consent_errors(
                consent_given=answer,
                lawful_basis=data.get("lawful_basis", ""),
                override_reason=data.get("override_reason", ""),
            )
        for field, message in errors.items():
            self.add_error(field, message)
        return data


class DecisionForm(GovUKForm):
    """Accept, reject or withdraw a pending referral, escalation or transfer.

    MATCHES, records that may be the person a referral is about (shown to its deciding
    co-ordinator by reference only), add the question "is this someone already known?",
    which accepting must answer; SUGGESTED is the one the referrer named, if any.
    """

    NEW_PERSON = "new"

    decision = forms.ChoiceField(
        choices=[("accepted", "Accept"), ("rejected", "Reject"), ("withdrawn", "Withdraw")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when rejecting.",
    )

    def __init__(
        self,
        *args: Any,
        matches: Iterable[Any] = (),
        suggested: Any = None,
        decisions: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if decisions is not None:
            # Only what this person may do: a referrer withdraws, the co-ordinator decides.
            allowed = set(decisions)
            field = self.fields["decision"]
            field.choices = [c for c in field.choices if c[0] in allowed]  # type: ignore[attr-defined]
            if allowed == {"withdrawn"}:
                field.label = "Withdraw this referral?"
                self.fields["reason"].help_text = "Why you are withdrawing it (optional)."
        self.matches = list(matches)
        if self.matches:
            choices = [
                (
                    p.reference,
                    f"The same person as {p.reference}"
                    + (
                        " (the referrer's suggestion)" if suggested and p.pk == suggested.pk else ""
                    ),
                )
                for p in self.matches
            ]
            self.fields["match"] = forms.ChoiceField(
                label="Is this a person already known to the partnership?",
                choices=[*choices, (self.NEW_PERSON, "A new person: keep the referral's record")],
                widget=forms.RadioSelect,
                required=False,
                help_text="A record with the same date of birth and a similar name already "
                "exists. If it is the same person, the referral's record is merged into it "
                "and the case is about them. Answer when accepting.",
            )
            self.order_fields(["decision", "match", "reason"])

    def same_as(self) -> Any:
        """The record the co-ordinator said the referral is about, or None."""
        chosen = self.cleaned_data.get("match", "")
        return next((p for p in self.matches if p.reference == chosen), None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "rejected" and not data.get("reason", "").strip():
            self.add_error("reason", "Give the reason for rejecting")
        if self.matches and data.get("decision") == "accepted" and not data.get("match"):
            self.add_error(
                "match", "Choose whether this is a person already known, or a new person"
            )
        return data
