from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from csphub.audit.forms import filter_date
from csphub.core.forms import GovUKForm
from csphub.people.models import Person

# The anomaly reports look at the last four weeks unless asked about other days.
DEFAULT_DAYS = 28


class PeriodForm(GovUKForm):
    date_from = filter_date("From", "The start date")
    date_to = filter_date("To", "The end date")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def period(self) -> tuple[date, date]:
        """The days asked about: the last four weeks to today unless the form says."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("date_to") or today
        start = data.get("date_from") or end - timedelta(days=DEFAULT_DAYS - 1)
        return start, end


class SubjectAccessForm(GovUKForm):
    reference = forms.CharField(
        label="Person's reference",
        max_length=20,
        help_text="As the service shows it, for example P-7K3Q9",
    )

    def clean_reference(self) -> Person:
        reference = (self.cleaned_data.get("reference") or "").strip().upper()
        person = Person.objects.filter(reference=reference).first()
        if person is None:
            raise forms.ValidationError(f"No person has the reference {reference}")
        surviving = person.merged_into
        if surviving is not None:
            raise forms.ValidationError(
                f"{reference} was merged into {surviving.reference}: export that record, "
                "which holds this one's"
            )
        return person
