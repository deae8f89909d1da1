from __future__ import annotations

from django import forms

from csphub.accounts.models import User
from csphub.audit.selectors import EventFilter
from csphub.core.forms import GovUKForm


class EventFilterForm(GovUKForm):
    # A choice of user (sent as an id), not typed e-mail: nothing personal goes in the URL.
    actor = forms.ModelChoiceField(
        label="User",
        queryset=User.objects.order_by("full_name"),
        required=False,
        empty_label="Anyone",
    )
    verb = forms.CharField(label="Action", required=False, help_text="For example case.viewed")
    target_type = forms.CharField(label="Record type", required=False)
    target_id = forms.CharField(label="Record id", required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def to_filter(self) -> EventFilter:
        data = dict(self.cleaned_data) if self.is_valid() else {}
        if data.get("actor"):
            data["actor"] = str(data["actor"].pk)
        return EventFilter(**{k: v for k, v in data.items() if v})
