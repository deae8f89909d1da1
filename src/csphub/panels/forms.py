"""Forms for referrals, escalations, case edits and offending (GOV.UK rendering)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from csphub.accounts.models import Agency, User
from csphub.core.forms import GovUKDateField, GovUKForm, VersionedForm
from csphub.lib.dates import PAST
from csphub.panels.choices import (
    INDICATOR_SCORES,
    RISK_INDICATORS,
    CaseFlagKind,
    CaseStatus,
    ClosureOutcome,
    LawfulBasis,
    MembershipRole,
    PanelDecision,
    PanelKind,
    ReferralReason,
    RiskLevel,
    SubjectRole,
)
from csphub.panels.models import Panel
from csphub.panels.rules import CONSENT_NOT_ANSWERED, consent_errors
from csphub.people.choices import PlaceKind
from csphub.people.geography import is_lsoa_code, normalise_lsoa

YES_NO = [("yes", "Yes"), ("no", "No")]
# The heaviest Crime Severity Score weight is about 6,500 (homicide); nothing weighs more.
MAX_HARM_WEIGHT = 10_000


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

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["to_panel"].queryset = Panel.objects.filter(is_active=True).exclude(  # type: ignore[attr-defined]
            pk=case.panel_id
        )

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
        from csphub.lib.harm import load_weights

        selectors = sorted(s for s, _ in load_weights().get("mps_2023", []))
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (s, s.replace("/*", " (other)").capitalize()) for s in selectors
        ]


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


def panel_rules_in(data: dict[str, Any]) -> dict[str, Any]:
    """A panel form's rules in its cleaned DATA, as the configuration services take them."""
    withheld = set(data.get("decisions_not_made") or ())
    return {
        "uses_risk_screen": data["uses_risk_screen"],
        "consent_required": not data.get("consent_not_required", False),
        "decisions": [d for d in PanelDecision.values if d not in withheld],
    }


def panel_rules_initial(panel: Panel) -> dict[str, Any]:
    """A panel's rules as its form shows them."""
    return {
        "uses_risk_screen": panel.uses_risk_screen,
        "consent_not_required": not panel.consent_required,
        "decisions_not_made": [d for d in PanelDecision.values if d not in panel.decisions],
    }


class PanelForm(VersionedForm):
    """A panel's settings, as a CSP administrator configures them (a new panel has no version)."""

    name = forms.CharField(max_length=200)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label="Kind of panel", choices=PanelKind.choices)
    chair = PractitionerChoiceField(
        queryset=User.objects.filter(is_active=True).select_related("agency"), required=False
    )
    member_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting_cadence = forms.CharField(
        max_length=200, help_text="For example, fortnightly on Tuesdays."
    )
    referral_criteria = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    review_interval_days = forms.IntegerField(
        label="Review cases every (days)", min_value=1, max_value=365, initial=42
    )
    uses_risk_screen = forms.BooleanField(
        label="Referrals use the structured risk screen (indicators scored 0 to 3)",
        required=False,
    )
    # Asked the other way round, so that leaving them unticked keeps the usual rules.
    consent_not_required = forms.BooleanField(
        label="Referrals need no consent (for example, children's NRM referrals)",
        help_text="Consent is then not asked for, and a referral without it is not an override.",
        required=False,
    )
    decisions_not_made = forms.MultipleChoiceField(
        label="Decisions this panel does not make",
        help_text="Leave all unticked for a panel that makes every decision.",
        choices=PanelDecision.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label="Taking referrals", required=False, initial=True)

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["is_active"]
            del self.fields["version"]


class MembershipForm(GovUKForm):
    """Seat someone on a panel, or change the role they hold there."""

    user = PractitionerChoiceField(label="Person", queryset=User.objects.none())
    role = forms.ChoiceField(
        choices=MembershipRole.choices, widget=forms.RadioSelect, initial=MembershipRole.MEMBER
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from csphub.panels.selectors import case_workers

        self.fields["user"].queryset = case_workers()  # type: ignore[attr-defined]


class RemoveMemberForm(GovUKForm):
    confirm = forms.BooleanField(
        label="Yes, take them off the panel and end their assignments to its cases"
    )
