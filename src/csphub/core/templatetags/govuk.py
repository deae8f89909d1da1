"""Template helpers for GOV.UK components (loaded as a builtin)."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from csphub.core.forms import DATE_PARTS, GovUKDateInput
from csphub.core.forms import widget_kind as _widget_kind

register = template.Library()


@register.filter
def widget_kind(field: forms.BoundField) -> str:
    return _widget_kind(field.field.widget)


@register.filter
def error_anchor(field: forms.BoundField) -> str:
    """Where the error summary's link for FIELD goes: the field itself, or for a date the
    first of its boxes the error is about (GOV.UK: "link to the first input with an error")."""
    widget = field.field.widget
    if isinstance(widget, GovUKDateInput):
        first = next((p for p in DATE_PARTS if p in widget.error_parts), DATE_PARTS[0])
        return f"{field.auto_id}_{first}"
    return str(field.auto_id)


@register.filter
def with_error_class(field: forms.BoundField) -> SafeString:
    """Render the widget, adding the GOV.UK error modifier and aria-describedby when invalid."""
    attrs: dict[str, str | bool] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        css = field.field.widget.attrs.get("class", "")
        base = css.split()[0] if css else "govuk-input"
        attrs["class"] = f"{css} {base}--error".strip()
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def tag_colour(value: str) -> str:
    """A GOV.UK tag colour modifier for common status words."""
    colours = {
        "red": "govuk-tag--red",
        "high": "govuk-tag--red",
        "amber": "govuk-tag--orange",
        "medium": "govuk-tag--orange",
        "green": "govuk-tag--green",
        "low": "govuk-tag--green",
        "closed": "govuk-tag--grey",
        "overdue": "govuk-tag--red",
    }
    return colours.get(str(value).lower(), "govuk-tag--blue")
