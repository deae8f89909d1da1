"""A small GOV.UK Design System form mixin so no form needs its own template, the one date
field every form uses, and the hidden version an edit form carries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from csphub.lib.dates import DateRange

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.widgets.Input, "govuk-input"),
]


def widget_kind(widget: forms.Widget) -> str:
    """The GOV.UK component a widget renders as: checkboxes, radios, checkbox or input."""
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


_DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


def required_message(name: str, field: forms.Field) -> str:
    """A GOV.UK error message for a field left empty, naming it ("Enter the reason", "Select
    the agency") instead of "This field is required."."""
    text = str(field.label or name.replace("_", " ").capitalize()).strip()
    if text.endswith("?"):
        return f"Answer the question: {text}"
    label = text.rstrip(":. ")
    label = label[0].lower() + label[1:] if label[:1].isupper() and label[1:2].islower() else label
    chooses = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    if chooses or isinstance(field.widget, forms.Select | forms.RadioSelect):
        return f"Select {label}"
    return f"Enter {label}"


class GovUKFormMixin:
    """Renders fields with GOV.UK classes, hints and error messages (core/forms/govuk.html)."""

    template_name = "core/forms/govuk.html"
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            if field.error_messages.get("required") == _DJANGO_REQUIRED:
                field.error_messages["required"] = required_message(name, field)
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(field.widget, widget_type):
                    existing = field.widget.attrs.get("class", "")
                    field.widget.attrs["class"] = f"{existing} {css}".strip()
                    break


class GovUKForm(GovUKFormMixin, forms.Form):
    """A plain form with GOV.UK rendering."""


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    """A model form with GOV.UK rendering."""


DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class GovUKDateField(forms.DateField):
    """A date typed as day/month/year (27/03/2026; ISO 2026-03-27 too) within a sensible range.

    DATES says what the date is for (csphub.lib.dates: PAST, PLANNING or FILTER) and so which
    dates are refused, with a GOV.UK-style message naming the field (ERROR_NAME, else the label).
    Every date field of every form is one of these (tests/core walks them all).
    """

    def __init__(
        self,
        *args: Any,
        dates: DateRange,
        error_name: str = "",
        example: str = "27/03/2026",
        **kwargs: Any,
    ) -> None:
        self.dates = dates
        self.error_name = error_name
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("help_text", f"For example, {example}")
        kwargs.setdefault(
            "widget", forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"})
        )
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = f"Enter a real date, for example {example}"

    def _name(self) -> str:
        return self.error_name or str(self.label or "The date")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        today = timezone.localdate()
        problem = self.dates.problem(value, today)
        if problem == "early":
            raise ValidationError(
                f"{self._name()} must be the same as or after "
                f"{_long_date(self.dates.earliest(today))}",
                code="too_early",
            )
        if problem == "late":
            latest = self.dates.latest(today)
            raise ValidationError(
                f"{self._name()} must be today or in the past"
                if latest == today
                else f"{self._name()} must be the same as or before {_long_date(latest)}",
                code="too_late",
            )


MAX_VERSION = 2**31 - 1


class VersionField(forms.IntegerField):
    """The version of the record an edit form was loaded with (hidden)."""

    def __init__(self, **kwargs: Any) -> None:
        stale = "This page is out of date. Open it again and make your changes there."
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault(
            "error_messages",
            {"required": stale, "invalid": stale, "min_value": stale, "max_value": stale},
        )
        super().__init__(min_value=1, max_value=MAX_VERSION, **kwargs)


class VersionedForm(GovUKForm):
    """An edit form for a versioned record: carries the version the editor loaded, so a save
    based on an older version is refused (see csphub.core.editing.form_step)."""

    version = VersionField()
