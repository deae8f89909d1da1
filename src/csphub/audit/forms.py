from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from csphub.audit.selectors import EventFilter, normalise_reference, records_with_reference
from csphub.core.forms import GovUKDateField, GovUKForm
from csphub.lib.dates import FILTER


def filter_date(label: str, error_name: str) -> GovUKDateField:
    """An optional day bounding the events a page looks at (the audit trail's, the DPO's
    reports)."""
    return GovUKDateField(
        label=label,
        dates=FILTER,
        error_name=error_name,
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class EventFilterForm(GovUKForm):
    # A choice of user (sent as an id), not typed e-mail: nothing personal goes in the URL.
    actor = forms.ModelChoiceField(
        label="User",
        queryset=get_user_model().objects.order_by("full_name"),
        required=False,
        empty_label="Anyone",
    )
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=20,
        help_text="A case's or person's reference as it is shown, for example C-7K3Q9",
    )
    verb = forms.CharField(label="Action", required=False, help_text="For example case.viewed")
    target_type = forms.CharField(label="Record type", required=False)
    target_id = forms.CharField(label="Record id", required=False)
    date_from = filter_date("From", "The start date")
    date_to = filter_date("To", "The end date")

    def clean_reference(self) -> str:
        reference = normalise_reference(self.cleaned_data.get("reference") or "")
        if reference and not records_with_reference(reference):
            raise forms.ValidationError(f"No record has the reference {reference}")
        return reference

    def to_filter(self) -> EventFilter:
        data = dict(self.cleaned_data) if self.is_valid() else {}
        if data.get("actor"):
            data["actor"] = str(data["actor"].pk)
        return EventFilter(**{k: v for k, v in data.items() if v})
