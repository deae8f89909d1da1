"""A small GOV.UK Design System form mixin so no form needs its own template."""

from __future__ import annotations

from typing import Any

from django import forms

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


class GovUKFormMixin:
    """Renders fields with GOV.UK classes, hints and error messages (core/forms/govuk.html)."""

    template_name = "core/forms/govuk.html"
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(field.widget, widget_type):
                    existing = field.widget.attrs.get("class", "")
                    field.widget.attrs["class"] = f"{existing} {css}".strip()
                    break


class GovUKForm(GovUKFormMixin, forms.Form):
    """A plain form with GOV.UK rendering."""


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    """A model form with GOV.UK rendering."""
