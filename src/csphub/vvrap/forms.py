"""VVRAP forms (GOV.UK rendering from the core mixin)."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.accounts.models import Agency, User
from csphub.core.forms import GovUKDateField, GovUKForm, VersionedForm
from csphub.funding.models import FundedItem
from csphub.lib.dates import PAST, PLANNING
from csphub.panels.models import Panel
from csphub.people.models import Place
from csphub.vvrap.choices import EventKind, Priority, Rag, RiskLevel, Scope, Stage
from csphub.vvrap.models import PlanTemplate, Theme

LONG = 5000


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.agency.name})" if obj.agency else str(obj.full_name)


def _leads() -> Any:
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("agency__name", "full_name")
    )


class PlanForm(GovUKForm):
    title = forms.CharField(label="Title", max_length=200)
    version_label = forms.CharField(
        label="Version", max_length=40, help_text="For example, 2025-26 v1."
    )
    template = forms.ModelChoiceField(label="VRU template", queryset=PlanTemplate.objects.all())
    board = forms.ModelChoiceField(
        label="Board that delivers it",
        queryset=Panel.objects.filter(vvrap_board__isnull=False),
        help_text="Its co-ordinators see the plan's milestones with the board's actions.",
    )
    first_year = forms.IntegerField(
        label="First financial year",
        min_value=2015,
        max_value=2100,
        help_text="The year it starts in: 2025 for 2025-26.",
    )


class PlanItemForm(GovUKForm):
    theme = forms.ModelChoiceField(label="Theme", queryset=Theme.objects.all())
    number = forms.CharField(label="Number", max_length=12, help_text="For example, 3.2.")
    description = forms.CharField(label="Action", max_length=LONG, widget=forms.Textarea)
    outcome = forms.CharField(label="Outcome sought", max_length=LONG, widget=forms.Textarea)
    scope = forms.ChoiceField(
        label="Generic or local", choices=Scope.choices, widget=forms.RadioSelect
    )
    stage = forms.ChoiceField(
        label="Current or developing", choices=Stage.choices, widget=forms.RadioSelect
    )
    lead = UserChoiceField(label="CSP lead", queryset=User.objects.none())
    lead_agencies = forms.ModelMultipleChoiceField(
        label="Lead organisations",
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, required=False)
    evidence = forms.CharField(
        label="Links to evidence",
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Web addresses, one a line.",
    )
    sna_recommendation = forms.CharField(
        label="Strategic needs assessment recommendation",
        max_length=40,
        required=False,
        help_text="The recommendation's reference, for example R4.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _leads()  # type: ignore[attr-defined]

    def clean_lead_agencies(self) -> list[Agency]:
        return list(self.cleaned_data["lead_agencies"])


class FundedItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.reference}, {obj.grant.title})"


class PlanItemEditForm(VersionedForm):
    theme = PlanItemForm.base_fields["theme"]
    description = PlanItemForm.base_fields["description"]
    outcome = PlanItemForm.base_fields["outcome"]
    scope = PlanItemForm.base_fields["scope"]
    stage = PlanItemForm.base_fields["stage"]
    lead = UserChoiceField(label="CSP lead", queryset=User.objects.none())
    lead_agencies = PlanItemForm.base_fields["lead_agencies"]
    priority = PlanItemForm.base_fields["priority"]
    evidence = PlanItemForm.base_fields["evidence"]
    sna_recommendation = PlanItemForm.base_fields["sna_recommendation"]
    funded_items = FundedItemChoiceField(
        label="Funded by",
        queryset=FundedItem.objects.select_related("grant__funder").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The funded posts and projects that serve this action.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _leads()  # type: ignore[attr-defined]

    def clean_lead_agencies(self) -> list[Agency]:
        return list(self.cleaned_data["lead_agencies"])

    def clean_funded_items(self) -> list[FundedItem]:
        return list(self.cleaned_data["funded_items"])


class MilestoneForm(GovUKForm):
    description = forms.CharField(label="Milestone", max_length=LONG, widget=forms.Textarea)
    due_on = GovUKDateField(label="Due by", dates=PLANNING, error_name="The due date")
    owner = UserChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        required=False,
        help_text="Leave empty for the action's lead.",
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class UpdateForm(VersionedForm):
    """The lead's quarterly update. A new update has no version yet (`versioned=False`)."""

    narrative = forms.CharField(
        label="Progress this quarter", max_length=LONG, widget=forms.Textarea, required=False
    )
    proposed_rag = forms.ChoiceField(
        label="Proposed RAG status",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    rag_reason = forms.CharField(
        label="Reason for the RAG status", max_length=LONG, widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, versioned: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not versioned:
            del self.fields["version"]


class ReviewForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("sign_off", "Sign off: freeze this update in the quarter's return"),
            ("return", "Return it to the lead with a comment"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment for the lead",
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed when you return the update.",
    )


class FeedbackForm(GovUKForm):
    received_on = GovUKDateField(label="Received on", dates=PAST, error_name="The date received")
    given_by = forms.CharField(
        label="From", max_length=200, initial="MPS, VRU and London Councils panel"
    )
    feedback = forms.CharField(label="Feedback", max_length=LONG * 2, widget=forms.Textarea)


class EventForm(GovUKForm):
    happened_on = GovUKDateField(label="Date", dates=PAST, error_name="The date of the event")
    place = forms.ModelChoiceField(
        label="Place",
        queryset=Place.objects.none(),
        help_text="A community place: its ward and LSOA go with it.",
    )
    kind = forms.ChoiceField(label="Type", choices=EventKind.choices)
    risk_level = forms.ChoiceField(
        label="Risk level", choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    owning_agency = forms.ModelChoiceField(
        label="Owner", queryset=Agency.objects.filter(is_active=True)
    )
    actions = forms.CharField(
        label="Actions agreed", max_length=LONG, widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class CloseEventForm(GovUKForm):
    closed_on = GovUKDateField(label="Closed on", dates=PAST, error_name="The closing date")


class AssessmentForm(GovUKForm):
    refreshed_on = GovUKDateField(
        label="Refreshed on", dates=PAST, error_name="The date it was refreshed"
    )
    note = forms.CharField(label="Note", max_length=200, required=False)


class TemplateColumnsForm(GovUKForm):
    columns = forms.CharField(
        label="Columns of each theme's sheet",
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="One column a line, in order: its heading, an equals sign, then the field, "
        "for example: Ref = number",
    )

    def clean_columns(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.cleaned_data["columns"].splitlines():
            if not line.strip():
                continue
            header, sep, field = line.rpartition("=")
            if not sep:
                raise forms.ValidationError(f'Write the line "{line.strip()}" as: heading = field')
            pairs.append((header.strip(), field.strip()))
        return pairs
