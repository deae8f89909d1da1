"""NRM forms (GOV.UK rendering from the core mixin)."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.accounts.models import User
from csphub.core.forms import GovUKDateField, GovUKForm
from csphub.lib.dates import PAST
from csphub.meetings.models import Meeting
from csphub.nrm.choices import (
    AuditState,
    DecisionKind,
    ExploitationType,
    ExploitedWhere,
    FirstResponderType,
    FollowUpStatus,
    Gender,
    Outcome,
    Requester,
    Seat,
    Vote,
)
from csphub.nrm.models import Reconsideration
from csphub.panels.models import Panel

ABSENT, PRESENT = "absent", "present"


class ReferChildForm(GovUKForm):
    panel = forms.ModelChoiceField(
        label="NRM panel", queryset=Panel.objects.none(), empty_label=None
    )
    given_name = forms.CharField(label="Child's first name", max_length=100)
    family_name = forms.CharField(label="Child's last name", max_length=100)
    date_of_birth = GovUKDateField(label="Child's date of birth", dates=PAST)
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, widget=forms.RadioSelect)
    nationality = forms.CharField(label="Nationality, as reported", max_length=100, required=False)
    age_at_exploitation = forms.IntegerField(
        label="Age when exploited", min_value=0, max_value=17, required=False
    )
    exploitation_types = forms.MultipleChoiceField(
        label="Types of exploitation",
        help_text="Choose all that apply.",
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    county_lines = forms.BooleanField(label="County lines", required=False)
    exploited_where = forms.ChoiceField(
        label="Where the child was exploited",
        choices=ExploitedWhere.choices,
        widget=forms.RadioSelect,
    )
    first_responder_type = forms.ChoiceField(
        label="First responder organisation type", choices=FirstResponderType.choices
    )
    first_responder_officer = forms.CharField(label="Referring officer", max_length=200)
    received_on = GovUKDateField(label="Date the referral was received", dates=PAST)
    age_disputed = forms.BooleanField(label="The child's age is disputed", required=False)
    public_order_consideration = forms.BooleanField(
        label="A public-order disqualification may apply", required=False
    )
    summary = forms.CharField(
        label="What happened", widget=forms.Textarea, max_length=4000, required=False
    )

    def __init__(self, *args: Any, panels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels  # type: ignore[attr-defined]


class ReferralUpdateForm(GovUKForm):
    allocated_social_worker = forms.ModelChoiceField(
        label="Child's allocated social worker", queryset=User.objects.none(), required=False
    )
    crest_case_reference = forms.CharField(
        label="Linked CREST case reference", max_length=12, required=False
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocated_social_worker"].queryset = workers  # type: ignore[attr-defined]


def reconsideration_label(r: Reconsideration) -> str:
    return (
        f"Asked for on {r.requested_on:%-d %B %Y} by the {r.get_requested_by_display().lower()}: "
        f"the {r.decision.get_kind_display()} decision of {r.decision.decided_on:%-d %B %Y}"
    )


class DecisionForm(GovUKForm):
    """The decision, its meeting and chair, and one answer per seated member (`seat_<id>`:
    absent, present without a vote, or their vote)."""

    kind = forms.ChoiceField(
        label="Decision",
        choices=[*DecisionKind.choices, ("both", "Reasonable and Conclusive Grounds together")],
        widget=forms.RadioSelect,
    )
    meeting = forms.ModelChoiceField(
        label="Meeting", queryset=Meeting.objects.none(), empty_label=None
    )
    decided_on = GovUKDateField(label="Decision date", dates=PAST)
    outcome = forms.ChoiceField(
        label="Outcome",
        help_text="For both decisions together, the Conclusive Grounds outcome (the RG is positive).",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
    )
    chair = forms.ModelChoiceField(label="Chair", queryset=User.objects.none(), empty_label=None)
    accept_warning = forms.BooleanField(
        label="I have read the warning and the decision stands", required=False
    )
    reconsideration = forms.ModelChoiceField(
        label="Decision on a request for reconsideration",
        help_text="If this decision answers a request to reconsider an earlier one, choose it.",
        queryset=Reconsideration.objects.none(),
        required=False,
        empty_label="No: not a reconsideration",
    )

    def __init__(
        self,
        *args: Any,
        meetings: Any,
        members: list[Any],
        reconsiderations: Any = None,
        **kwargs: Any,
    ) -> None:
        self.base_fields = dict(type(self).base_fields)  # type: ignore[misc]
        self.members = members
        for m in members:
            votes = (
                list(Vote.choices) if m.seat in (Seat.SOCIAL_CARE, Seat.POLICE, Seat.HEALTH) else []
            )
            self.base_fields[f"seat_{m.user.pk}"] = forms.ChoiceField(
                label=f"{m.user.full_name} ({dict(Seat.choices).get(m.seat, 'no seat')})",
                choices=[(ABSENT, "Not present"), (PRESENT, "Present, no vote"), *votes]
                if not votes
                else [(ABSENT, "Not present"), *votes],
                initial=ABSENT,
            )
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["chair"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.user.pk for m in members]
        )
        if reconsiderations is None or not reconsiderations.exists():
            del self.fields["reconsideration"]
        else:
            field = self.fields["reconsideration"]
            field.queryset = reconsiderations  # type: ignore[attr-defined]
            field.label_from_instance = reconsideration_label  # type: ignore[attr-defined]

    def votes(self) -> dict[Any, str]:
        out = {}
        for m in self.members:
            answer = self.cleaned_data.get(f"seat_{m.user.pk}", ABSENT)
            if answer != ABSENT:
                out[m.user] = "" if answer == PRESENT else answer
        return out


class MinuteForm(GovUKForm):
    evidence = forms.CharField(
        label="Evidence considered",
        help_text="One item a line: the item, a vertical bar, then its source agency "
        "(for example: Police intelligence report | Met Police).",
        widget=forms.Textarea,
        max_length=8000,
    )
    credibility = forms.CharField(label="Credibility", widget=forms.Textarea, max_length=8000)
    trauma_informed = forms.CharField(
        label="Trauma-informed considerations", widget=forms.Textarea, max_length=8000
    )
    reasons = forms.CharField(
        label="Reasons",
        help_text="Required when the decision is negative.",
        widget=forms.Textarea,
        max_length=8000,
        required=False,
    )
    correction_note = forms.CharField(
        label="What this correction changes",
        help_text="Only for a correction of an issued minute.",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )

    def evidence_items(self) -> list[dict[str, str]]:
        items = []
        for line in self.cleaned_data["evidence"].splitlines():
            if line.strip():
                item, _, source = line.partition("|")
                items.append({"item": item.strip(), "source": source.strip()})
        return items


class ReconsiderationForm(GovUKForm):
    requested_by = forms.ChoiceField(
        label="Asked for by", choices=Requester.choices, widget=forms.RadioSelect
    )
    requested_on = GovUKDateField(label="Date asked", dates=PAST)
    grounds = forms.CharField(label="Grounds", widget=forms.Textarea, max_length=4000)


class AuditForm(GovUKForm):
    state = forms.ChoiceField(
        label="SCA audit", choices=AuditState.choices, widget=forms.RadioSelect
    )
    on = GovUKDateField(label="Date", dates=PAST)
    comments = forms.CharField(
        label="Auditor's comments", widget=forms.Textarea, max_length=4000, required=False
    )


class FollowUpForm(GovUKForm):
    months = forms.TypedChoiceField(
        label="Follow-up", choices=[(3, "3 months"), (6, "6 months")], coerce=int
    )
    support_offered = forms.CharField(
        label="Support offered", widget=forms.Textarea, max_length=4000, required=False
    )
    missing_episodes = forms.IntegerField(label="Missing episodes", min_value=0, max_value=500)
    re_referred = forms.BooleanField(label="Referred to the NRM again", required=False)
    crest_status = forms.ChoiceField(label="CREST status", choices=FollowUpStatus.choices)
    vip_status = forms.ChoiceField(label="VIP status", choices=FollowUpStatus.choices)


class SeatForm(GovUKForm):
    """One seat per member of the panel (`seat_<membership id>`)."""

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        self.base_fields = {}  # type: ignore[misc]
        self.members = members
        for m in members:
            self.base_fields[f"seat_{m.pk}"] = forms.ChoiceField(
                label=f"{m.user.full_name}, {m.user.agency.name if m.user.agency else 'no agency'}",
                choices=[("", "No seat"), *Seat.choices],
                required=False,
                initial=m.seat,
            )
        super().__init__(*args, **kwargs)


class SettingsForm(GovUKForm):
    rg_due_days = forms.IntegerField(
        label="Reasonable Grounds due, calendar days from the referral being received",
        min_value=1,
        max_value=365,
    )
    sca_target_working_days = forms.IntegerField(
        label="National SCA target shown beside it, working days", min_value=1, max_value=60
    )
    cg_warning_days = forms.IntegerField(
        label="Warn of a Conclusive Grounds decision sooner than this many days after the RG",
        min_value=0,
        max_value=365,
    )


class ComparatorForm(GovUKForm):
    label = forms.CharField(label="Name", max_length=200)
    measure = forms.ChoiceField(
        label="Measure",
        choices=[
            ("rg", "Days to RG"),
            ("cg", "Days to CG"),
            ("final", "Days to the final decision"),
        ],
    )
    days = forms.DecimalField(label="Days", min_value=0, max_value=9999, decimal_places=1)
    definition = forms.CharField(label="Definition", widget=forms.Textarea, max_length=2000)
    source = forms.CharField(label="Source", max_length=300)
