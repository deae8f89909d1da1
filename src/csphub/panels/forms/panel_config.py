"""A panel's configuration: its settings and rules, and who sits on it."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.accounts.models import Agency, User
from csphub.core.forms import GovUKForm, VersionedForm
from csphub.panels.choices import (
    MembershipRole,
    PanelDecision,
    PanelKind,
)
from csphub.panels.forms.cases import PractitionerChoiceField
from csphub.panels.models import Panel


def panel_rules_in(data: dict[str, Any]) -> dict[str, Any]:
    """A panel form's rules in its cleaned DATA, as the configuration services take them."""
    withheld = set(data.get("decisions_not_made") or ())
    return {
        "uses_risk_screen": data["uses_risk_screen"],
        "consent_required": not data.get("consent_not_required", False),
        "decisions": [d for d in PanelDecision.values if d not in withheld],
        "quorum": data.get("quorum") or {},
        "owning_agency_sees_cases": not data.get("members_only_see_cases", False),
    }


def panel_rules_initial(panel: Panel) -> dict[str, Any]:
    """A panel's rules as its form shows them."""
    return {
        "uses_risk_screen": panel.uses_risk_screen,
        "consent_not_required": not panel.consent_required,
        "decisions_not_made": [d for d in PanelDecision.values if d not in panel.decisions],
        "quorum": quorum_text(panel.quorum or {}),
        "members_only_see_cases": not panel.owning_agency_sees_cases,
    }


def quorum_text(quorum: dict[str, int]) -> str:
    """A quorum as the form shows it: a line per seat, `seat: number`."""
    return "\n".join(f"{seat}: {need}" for seat, need in sorted(quorum.items()))


class QuorumField(forms.CharField):
    """A quorum typed a line per seat (`police: 1`), cleaned to {seat: number}."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> dict[str, int]:  # type: ignore[override]
        text = super().to_python(value) or ""
        quorum: dict[str, int] = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            seat, colon, need = line.partition(":")
            seat = seat.strip().lower().replace(" ", "_")
            if not colon or not seat or not need.strip().isdigit():
                raise forms.ValidationError(
                    "Write each seat as its name, a colon and a number, like police: 1"
                )
            if seat in quorum:
                raise forms.ValidationError(f"The {seat} seat is named twice")
            quorum[seat] = int(need.strip())
        return quorum


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
    quorum = QuorumField(
        label="Quorum: members needed present, per seat",
        help_text="A line per seat, its name then a colon and the number (for the children's "
        "NRM panel: social_care: 1, police: 1, health: 1). Leave blank for no quorum.",
        required=False,
        max_length=1000,
    )
    # Asked the other way round, so that leaving it unticked keeps the usual rule.
    members_only_see_cases = forms.BooleanField(
        label="Only the panel's co-ordinators and members see its cases",
        help_text="Not the whole of the agency that owns a case (for example, children's NRM "
        "referrals, held by the co-ordinator's agency for the record).",
        required=False,
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
