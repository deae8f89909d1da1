"""The CSP manager's set-up forms: a grant, its allocations and conditions, a funded item, its
measures and quarterly profile."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.accounts.models import Agency, User
from csphub.core.forms import GovUKDateField, GovUKForm
from csphub.funding.choices import ItemKind, MeasureKind
from csphub.funding.forms import money_field
from csphub.funding.models import Funder, FundingRound, Measure
from csphub.lib.dates import PLANNING

ACTIVITY_KINDS = [
    ("", "Typed in each quarter"),
    ("school_workshop", "School workshops"),
    ("outreach_bus", "Outreach bus deployments"),
    ("parent_carer", "Parent/Carer Network sessions"),
    ("engagement", "Community engagement events"),
    ("training", "Professional training"),
]


class GrantForm(GovUKForm):
    funder = forms.ModelChoiceField(queryset=Funder.objects.all())
    funding_round = forms.ModelChoiceField(
        queryset=FundingRound.objects.all(), required=False, label="Funding round"
    )
    title = forms.CharField(max_length=200)
    amount = money_field("Amount (£)", required=True)
    starts_on = GovUKDateField(label="Starts on", dates=PLANNING)
    ends_on = GovUKDateField(label="Ends on", dates=PLANNING)
    awarded_on = GovUKDateField(label="Awarded on", dates=PLANNING, required=False)
    splits_labour = forms.BooleanField(
        required=False, label="The funder asks for labour and non-labour apart"
    )
    description = forms.CharField(widget=forms.Textarea, max_length=2000, required=False)


class AllocationForm(GovUKForm):
    first_year = forms.IntegerField(
        label="Financial year starting in April", min_value=2000, max_value=2100
    )
    years = forms.TypedChoiceField(
        choices=[("1", "One financial year"), ("2", "Two financial years")], coerce=int
    )
    amount = money_field("Amount (£)", required=True)
    labour = money_field("Of it, labour (£)", "Only where the funder splits them")
    non_labour = money_field("Of it, non-labour (£)", "Only where the funder splits them")


class ReportingDateForm(GovUKForm):
    year = forms.IntegerField(
        label="Financial year starting in April", min_value=2000, max_value=2100
    )
    quarter = forms.TypedChoiceField(
        choices=[("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")], coerce=int
    )
    due_on = GovUKDateField(label="Return due on", dates=PLANNING)


class ItemForm(GovUKForm):
    kind = forms.ChoiceField(label="Post or project", choices=ItemKind.choices)
    name = forms.CharField(max_length=200)
    provider = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True))
    budget = money_field("Budget over the grant (£)", required=True)
    description = forms.CharField(widget=forms.Textarea, max_length=2000, required=False)


class MeasureForm(GovUKForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=MeasureKind.choices)
    counts_activity = forms.ChoiceField(
        choices=ACTIVITY_KINDS, required=False, label="Actuals come from"
    )
    counts = forms.ChoiceField(
        choices=[("sessions", "Sessions"), ("people", "People reached")],
        required=False,
        label="Counting",
    )


class ConditionForm(GovUKForm):
    description = forms.CharField(widget=forms.Textarea, max_length=2000)
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, agency__isnull=False)
    )
    due_on = GovUKDateField(label="Due on", dates=PLANNING)


class ProfileForm(GovUKForm):
    """The quarter's budget; `profile_form` adds a planned number per measure."""

    budget = money_field("Budget for the quarter (£)", required=True)


def profile_form(measures: list[Measure]) -> type[ProfileForm]:
    fields: dict[str, Any] = {
        f"profile_{m.pk}": forms.IntegerField(
            label=f"{m.name}: planned this quarter", min_value=0, max_value=1_000_000
        )
        for m in measures
    }
    return type("ProfileFormFor", (ProfileForm,), fields)
