"""Funding forms: choosing a quarter, and a provider's quarterly update."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from csphub.core.forms import GovUKForm
from csphub.funding.models import Measure

MAX_POUNDS = Decimal("9999999999.99")
QUARTERS = [
    ("1", "Q1 (April to June)"),
    ("2", "Q2 (July to September)"),
    ("3", "Q3 (October to December)"),
    ("4", "Q4 (January to March)"),
]


def money_field(label: str, help_text: str = "", required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=Decimal("0"),
        max_value=MAX_POUNDS,
        decimal_places=2,
        max_digits=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )


class QuarterChoiceForm(GovUKForm):
    year = forms.IntegerField(
        label="Financial year starting in April",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    quarter = forms.ChoiceField(label="Quarter", choices=QUARTERS)


class QuarterUpdateForm(GovUKForm):
    """Spend in the quarter; `quarter_update_form` adds the rest for one item and quarter."""

    spend = money_field("Spent in the quarter (£)", "Pounds and pence, like 12500.00", True)


def quarter_update_form(
    quarter: int, measures: list[Measure], splits_labour: bool
) -> type[QuarterUpdateForm]:
    """The update form for a quarter: spend (with staff costs apart where the funder asks), the
    forecast for each later quarter of the year, and the actual of each output typed in."""
    fields: dict[str, forms.Field] = {}
    if splits_labour:
        fields["spend_labour"] = money_field(
            "Of the spend, staff costs (£)", "The funder reports labour and non-labour apart", True
        )
    for q in range(quarter + 1, 5):
        fields[f"forecast_{q}"] = money_field(f"Forecast spend for Q{q} (£)")
    for measure in measures:
        fields[f"actual_{measure.pk}"] = forms.IntegerField(
            label=f"{measure.name}: this quarter",
            required=False,
            min_value=0,
            max_value=1_000_000,
            widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
        )
    return type("QuarterUpdateFormFor", (QuarterUpdateForm,), fields)
