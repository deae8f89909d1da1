"""Edit pages for versioned records: one flow, so every stale save is refused the same way.

The form carries the version it was loaded with (csphub.core.forms.VersionedForm); the service
writes through csphub.core.concurrency.save_if_unchanged, which raises EditConflict when someone
saved since. The page then answers 409 with the same message everywhere, keeps what the user
typed, shows what is saved now, and carries the new version so saving again is a knowing choice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from csphub.core.concurrency import EditConflict

CONFLICT_STATUS = 409


def conflict_message(noun: str = "") -> str:
    """What someone whose save was refused is told. NOUN names the record ("case")."""
    this = f"this {noun}" if noun else "this"
    return (
        f"Someone else saved {this} after you opened it, so your changes were not saved. "
        "What is saved now is shown below the form; your changes are still in the form. "
        "Check both, then save again."
    )


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _shown(field: forms.Field, value: Any) -> str:
    """VALUE (as a form's initial data holds it) as a person reads it."""
    if value in (None, "", [], ()):
        return "(empty)"
    if isinstance(field, forms.ModelChoiceField):
        # Any row of the model: what is saved may no longer be among the choices offered.
        queryset: Any = field.queryset.model._default_manager.all()  # type: ignore[union-attr]
        many = isinstance(field, forms.ModelMultipleChoiceField)
        ids = [getattr(v, "pk", v) for v in (value if many else [value])]
        chosen = sorted(field.label_from_instance(o) for o in queryset.filter(pk__in=ids))
        return ", ".join(chosen) or "(empty)"
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        labels = {str(k): v for k, v in choices}
        return str(labels.get(str(value), value))
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def saved_rows(form: forms.BaseForm, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, what is saved now) for each visible field of FORM."""
    return [
        (str(bound.label), _shown(bound.field, values.get(name)))
        for name, bound in ((b.name, b) for b in form.visible_fields())
        if name in values
    ]


def _is_stale(form: forms.BaseForm, loaded: int) -> bool:
    """A posted form whose (valid) version is not the record's: stale whatever else it says."""
    return "version" not in form.errors and form.cleaned_data.get("version") not in (None, loaded)


def versioned_edit(
    request: HttpRequest,
    *,
    form_class: Callable[..., forms.BaseForm],
    obj: Any,
    initial: Callable[[Any], dict[str, Any]],
    save: Callable[[dict[str, Any], int], object],
    template: str,
    context: dict[str, Any],
    saved: Callable[[], HttpResponse],
    noun: str = "",
    form_kwargs: dict[str, Any] | None = None,
    reload: Callable[[], Any] | None = None,
    version_field: str = "version",
) -> HttpResponse:
    """Show and save an edit form for OBJ, a versioned record read for this request.

    INITIAL(record) gives the form's values for a record; SAVE(cleaned data, expected version)
    calls the service (which may raise ValidationError or EditConflict); SAVED() is the
    response after a save. The form is TEMPLATE with CONTEXT, plus `form` and `conflict`
    (the rows of what is saved now, after a refused save). RELOAD reads the record as it is
    now (default: OBJ again by its id); VERSION_FIELD names its counter.
    """
    kwargs = form_kwargs or {}

    def conflict() -> HttpResponse:
        """The 409 page: their typing kept, what is saved now shown, its version carried."""
        current = reload() if reload else type(obj)._default_manager.filter(pk=obj.pk).first()
        if current is None:
            raise Http404("Not found")
        data = request.POST.copy()
        data["version"] = str(getattr(current, version_field))
        refused = form_class(
            data, initial={**initial(current), "version": data["version"]}, **kwargs
        )
        refused.is_valid()
        refused.add_error(None, conflict_message(noun))
        return render(
            request,
            template,
            {**context, "form": refused, "conflict": saved_rows(refused, initial(current))},
            status=CONFLICT_STATUS,
        )

    posted = request.method == "POST"
    loaded = getattr(obj, version_field)
    form = form_class(
        request.POST if posted else None, initial={**initial(obj), "version": loaded}, **kwargs
    )
    if posted and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            save(data, expected)
        except ValidationError as error:
            add_errors(form, error)
        except EditConflict:
            return conflict()
        else:
            return saved()
    elif posted and _is_stale(form, loaded):
        return conflict()
    return render(request, template, {**context, "form": form, "conflict": None})
