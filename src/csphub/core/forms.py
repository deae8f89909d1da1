"""A small GOV.UK Design System form mixin so no form needs its own template, the one date
field every form uses, and the hidden version an edit form carries."""

from __future__ import annotations

from datetime import date, datetime
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
    """The GOV.UK component a widget renders as: checkboxes, radios, checkbox, date or input."""
    if isinstance(widget, GovUKDateInput):
        return "date"
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
DATE_PARTS = ("day", "month", "year")


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _parse_date(text: str) -> date | None:
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


class GovUKDateInput(forms.Widget):
    """The GOV.UK date input: day, month and year typed into three boxes (core/forms/
    date_input.html), posted as NAME_day, NAME_month and NAME_year.

    A date posted as one value under NAME (27/03/2026, as a script or an older page sends it)
    is still read, so the field behind it takes both. ERROR_PARTS, set by GovUKDateField as it
    cleans, names the boxes an error is about, which alone are marked in red.
    """

    template_name = "core/forms/date_input.html"
    widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.error_parts: tuple[str, ...] = ()

    def _parts(self, value: Any) -> dict[str, str]:
        if isinstance(value, str):
            value = _parse_date(value) or value
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": f"{value.year:04d}"}
        if isinstance(value, list | tuple):
            return {p: str(v or "") for p, v in zip(DATE_PARTS, value, strict=False)}
        return dict.fromkeys(DATE_PARTS, "")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id") or f"id_{name}"
        typed = self._parts(value)
        context["widget"]["id"] = id_
        context["widget"]["parts"] = [
            {
                "name": f"{name}_{part}",
                "id": f"{id_}_{part}",
                "label": part.capitalize(),
                "value": typed.get(part, ""),
                "css": f"govuk-input govuk-date-input__input govuk-input--width-{width}"
                + (" govuk-input--error" if part in self.error_parts else ""),
            }
            for part, width in self.widths.items()
        ]
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:
            return data.get(name)
        parts = tuple(data.get(f"{name}_{part}") for part in DATE_PARTS)
        return None if all(p is None for p in parts) else parts

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}_{p}" in data for p in DATE_PARTS)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else id_


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class GovUKDateField(forms.DateField):
    """A date typed as day, month and year (the GOV.UK date input), within a sensible range.

    DATES says what the date is for (csphub.lib.dates: PAST, PLANNING or FILTER) and so which
    dates are refused. Every message names the field (ERROR_NAME, else the label), as the
    GOV.UK Design System asks: "Enter the meeting date", "Date of birth must include a month",
    "Date of birth must be a real date". One value (27/03/2026; ISO 2026-03-27 too) is read as
    well, and a form passing another WIDGET (a filter's single box) keeps it.
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
        day, month, year = example.split("/")
        kwargs.setdefault("help_text", f"For example, {int(day)} {int(month)} {year}")
        kwargs.setdefault("widget", GovUKDateInput)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = f"Enter a real date, for example {example}"
        if error_name:
            self.error_messages["required"] = f"Enter {error_name[0].lower()}{error_name[1:]}"

    def _name(self) -> str:
        return self.error_name or str(self.label or "The date")

    def _mark(self, *parts: str) -> None:
        if isinstance(self.widget, GovUKDateInput):
            self.widget.error_parts = parts

    def clean(self, value: Any) -> Any:
        self._mark()
        try:
            return super().clean(value)
        except ValidationError:
            if isinstance(self.widget, GovUKDateInput) and not self.widget.error_parts:
                self._mark(*DATE_PARTS)
            raise

    def to_python(self, value: Any) -> date | None:
        if not isinstance(value, list | tuple):
            return super().to_python(value)
        typed = dict(zip(DATE_PARTS, (str(v or "").strip() for v in value), strict=False))
        if not any(typed.values()):
            return None
        missing = [p for p in DATE_PARTS if not typed.get(p)]
        if missing:
            self._mark(*missing)
            raise ValidationError(
                f"{self._name()} must include a {_and(missing)}", code="incomplete"
            )
        not_numbers = [p for p in DATE_PARTS if not typed[p].isdigit()]
        if not_numbers:
            self._mark(*not_numbers)
            raise ValidationError(f"{self._name()} must be a real date", code="invalid")
        if len(typed["year"]) != 4:
            self._mark("year")
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError:
            self._mark(*DATE_PARTS)
            raise ValidationError(f"{self._name()} must be a real date", code="invalid") from None

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
