"""Meeting and action forms (GOV.UK rendering from the core mixin)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.core.forms import GovUKDateField, GovUKForm, VersionedForm
from csphub.lib.dates import PLANNING
from csphub.meetings.choices import ActionStatus, AttendanceStatus
from csphub.panels.models import Panel
from csphub.people.models import Place


class MeetingForm(GovUKForm):
    panel = forms.ModelChoiceField(label="Panel", queryset=Panel.objects.none())
    on = GovUKDateField(label="Date", dates=PLANNING, error_name="The meeting date")
    at = forms.TimeField(
        label="Start time",
        help_text="For example, 14:00",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
    )
    location = forms.CharField(
        label="Where", max_length=200, required=False, help_text="A room, or 'Microsoft Teams'."
    )

    def __init__(self, *args: Any, panels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels  # type: ignore[attr-defined]

    def scheduled_for(self) -> datetime:
        return scheduled_for(self.cleaned_data)


def scheduled_for(data: dict[str, Any]) -> datetime:
    """When the meeting a MeetingForm's cleaned DATA schedules starts (10am unless a time is given)."""
    return timezone.make_aware(datetime.combine(data["on"], data["at"] or time(10)))


class AttendanceForm(VersionedForm):
    """One status per member of the panel, by name (`person_<id>`), then one status and
    representative per agency on the panel (`status_<id>`, `rep_<id>`)."""

    def __init__(
        self, *args: Any, agencies: list[Agency], people: list[User] | None = None, **kwargs: Any
    ) -> None:
        # Fields are declared before the form is built, so the GOV.UK mixin styles them too.
        self.base_fields = dict(type(self).base_fields)  # type: ignore[misc]
        for person in people or []:
            works_for = f" ({person.agency.name})" if person.agency else ""
            self.base_fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=f"{person.full_name}{works_for}",
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
            )
        for agency in agencies:
            self.base_fields[f"status_{agency.pk}"] = forms.ChoiceField(
                label=agency.name, choices=AttendanceStatus.choices, widget=forms.RadioSelect
            )
            self.base_fields[f"rep_{agency.pk}"] = forms.CharField(
                label=f"Who represented {agency.name}", required=False, max_length=200
            )
        super().__init__(*args, **kwargs)


class MinutesForm(VersionedForm):
    minutes = forms.CharField(
        label="General minutes",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Matters not about a single case. Cases are minuted one by one from the agenda.",
    )


class DecisionForm(VersionedForm):
    discussion = forms.CharField(
        label="Discussion", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    decision = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This is added to the case's timeline.",
    )


class ActionForm(GovUKForm):
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    owning_agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        help_text="Someone who works for the agency above. For an action on a case, only "
        "people who may open the case are listed.",
        error_messages={
            "invalid_choice": "Choose an owner from the list: for an action on a case, someone "
            "who may open the case."
        },
    )
    due_on = GovUKDateField(label="Due by", dates=PLANNING, error_name="The due date")

    def __init__(self, *args: Any, agencies: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owning_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.full_name} ({u.agency})"
        )


class MeetingActionForm(ActionForm):
    """An action on the meeting itself: the bigger picture, optionally about one place."""

    theme = forms.CharField(
        label="Theme or cohort",
        max_length=200,
        required=False,
        help_text="For example, 'Knife crime among under-18s' or 'Night-time economy'. "
        "Do not name or describe a person: everyone on the panel sees this line.",
    )
    place = forms.ModelChoiceField(
        label="Location",
        queryset=Place.objects.none(),
        required=False,
        help_text="A place from the panel's open cases. Home addresses show only their area.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.OPEN,
        widget=forms.RadioSelect,
    )

    field_order = ["theme", "place", "description", "owning_agency", "owner", "due_on", "status"]

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].help_text = "Someone who works for the agency above."
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["place"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.label} ({p.reference})"
        )


class ActionUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="Update", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TopicForm(GovUKForm):
    """A topic on the agenda that is not a case: a standing item, or one typed in."""

    standing_item = forms.ChoiceField(label="Standing item", required=False, choices=[])
    title = forms.CharField(
        label="Topic",
        max_length=200,
        required=False,
        help_text="Leave empty for a standing item's own name.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from csphub.meetings.topics import standing_items

        super().__init__(*args, **kwargs)
        self.fields["standing_item"].choices = [  # type: ignore[attr-defined]
            ("", "Not a standing item"),
            *standing_items(),
        ]


class InformationRequestForm(GovUKForm):
    """The agencies asked for their research on every case on the agenda, and by when."""

    agencies = forms.ModelMultipleChoiceField(
        label="Agencies to ask",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is asked about every case on the agenda. Only agencies with someone on "
        "the panel are listed: they answer in the service.",
        error_messages={"required": "Choose at least one agency to ask"},
    )
    due_on = GovUKDateField(label="Due by", dates=PLANNING, error_name="The due date")

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]


class InformationAnswerForm(VersionedForm):
    answer = forms.CharField(
        label="Your agency's research",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text="What your agency knows about the case for the panel. It goes into the "
        "meeting's pack, read only by those who may open the case.",
        error_messages={"required": "Enter your agency's research on the case"},
    )
