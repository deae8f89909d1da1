"""Form pages: one flow (`form_step`), so every page answers a service the same way.

A refused step (ServiceError) goes on the form; a form editing a versioned record carries the
version it was loaded with (csphub.core.forms.VersionedForm), and the service writes through
csphub.core.concurrency.save_if_unchanged, which raises EditConflict when someone saved since.
The page then answers 409 with the same message everywhere, keeps what the user typed, shows
what is saved now, and carries the new version so saving again is a knowing choice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
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


def _is_stale(form: forms.BaseForm, loaded: object) -> bool:
    """A posted form whose (valid) version is not the record's: stale whatever else it says."""
    return "version" not in form.errors and form.cleaned_data.get("version") not in (None, loaded)


def form_step(
    request: HttpRequest,
    *,
    form_class: Callable[..., forms.BaseForm],
    save: Callable[[dict[str, Any], int | None], object],
    saved: Callable[[Any], HttpResponse],
    template: str,
    context: dict[str, Any],
    obj: Any = None,
    initial: Callable[[Any], dict[str, Any]] | None = None,
    noun: str = "",
    form_kwargs: dict[str, Any] | None = None,
    reload: Callable[[], Any] | None = None,
    version_field: str = "version",
    refused: Callable[[PermissionDenied], HttpResponse] | None = None,
    shown: Callable[[], object] | None = None,
) -> HttpResponse:
    """Show a form and, on a valid POST, take one step through a service: every form page.

    SAVE(cleaned data, version) calls the service and SAVED(what it returned) is the response
    after the step. OBJ, when given, is the versioned record the form edits, read for this
    request: the form starts from INITIAL(record) and carries the version, and SAVE is given
    the version it was loaded with (None for a form that adds something). What the service
    answers reaches the user the same way on every page:

    - a ServiceError (any ValidationError) goes on the field it names, else at the top of the
      form, with what they typed kept (200);
    - an EditConflict is a 409 with one message (`conflict_message`); for OBJ, the page also
      shows what is saved now and carries its version, so saving again is a knowing overwrite
      (RELOAD reads the record as it is now; default: OBJ again by its id; VERSION_FIELD names
      its counter). A posted version already out of date is refused before any other check. A
      conflict that says what happened (a decision someone made first) says that instead;
    - PermissionDenied is REFUSED(error)'s page when given (a case says who may), else a 403.

    The page is TEMPLATE with CONTEXT, plus `form` and `conflict` (the rows of what is saved
    now, after a refused save). SHOWN() runs each time the form page is shown.
    """
    extra = form_kwargs or {}
    kwargs = dict(extra)
    posted = request.method == "POST"
    versioned = obj is not None

    def page(form: forms.BaseForm, status: int = 200, rows: Any = None) -> HttpResponse:
        if shown is not None:
            shown()
        return render(request, template, {**context, "form": form, "conflict": rows}, status=status)

    def conflict() -> HttpResponse:
        """The 409 page: their typing kept, what is saved now shown, its version carried."""
        current = reload() if reload else type(obj)._default_manager.filter(pk=obj.pk).first()
        if current is None:
            raise Http404("Not found")
        start = initial(current) if initial else {}
        data = request.POST.copy()
        data["version"] = str(getattr(current, version_field))
        refused_form = form_class(data, initial={**start, "version": data["version"]}, **extra)
        refused_form.is_valid()
        refused_form.add_error(None, conflict_message(noun))
        return page(refused_form, CONFLICT_STATUS, saved_rows(refused_form, start))

    loaded = getattr(obj, version_field) if versioned else None
    if versioned:
        start = initial(obj) if initial else {}
        kwargs = {**kwargs, "initial": {**start, "version": loaded}}
    # Bound on every POST, even an empty one (a form whose fields are all optional).
    form = form_class(request.POST if posted else None, **kwargs)
    if posted and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") if versioned else None
        try:
            result = save(data, version)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as error:
            if refused is None:
                raise
            return refused(error)
        except EditConflict as error:
            told = getattr(error, "message", "")
            if versioned and not told:
                return conflict()
            form.add_error(None, told or conflict_message(noun))
            return page(form, CONFLICT_STATUS)
        else:
            return saved(result)
    elif posted and versioned and _is_stale(form, loaded):
        return conflict()
    return page(form)
