"""What every case page shares: the case lookup, a refusal that says who may, and the small
forms on a case."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from csphub.core.concurrency import EditConflict
from csphub.core.editing import add_errors as _form_error
from csphub.core.editing import versioned_edit
from csphub.core.types import AuthedRequest
from csphub.panels.lookup import case_for
from csphub.panels.models import (
    Case,
)
from csphub.panels.selectors import (
    case_edit_refusal,
    may_edit_case,
)

CASE_CHANGED_MESSAGE = (
    "Someone else changed this case after you opened it, so nothing was saved. "
    "Check the case as it is now, then try again."
)


def _conflict_message(error: EditConflict) -> str:
    """What to tell someone whose change lost a race (a decision says what was decided)."""
    return getattr(error, "message", "") or CASE_CHANGED_MESSAGE


def _refused(
    request: AuthedRequest, case: Case, what: str, error: PermissionDenied | None = None
) -> HttpResponse:
    """A change the user may not make to a case they can see: 403, saying who may (or what the
    service said when it refused)."""
    message = str(error or "") or case_edit_refusal(request.user, case, what)
    return render(
        request, "panels/case_refused.html", {"case": case, "message": message}, status=403
    )


def _case_edit_form(
    request: AuthedRequest,
    case: Case,
    obj: Any,
    form_class: Any,
    title: str,
    save: Any,
    *,
    what: str,
    noun: str,
    initial: Any = lambda obj: {},
    intro: str = "",
    submit_label: str = "",
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """A small versioned form on a case (OBJ: the case or a record on it), on the case form page.
    WHAT names the change (selectors.CASE_EDITS): one the user may not make is refused, saying
    who may."""
    if not may_edit_case(request.user, case, what):
        return _refused(request, case, what)

    def saved() -> HttpResponse:
        messages.success(request, f"{title}: done.")
        return redirect("panels:case_detail", case_id=case.pk)

    try:
        return versioned_edit(
            request,
            form_class=form_class,
            obj=obj,
            initial=initial,
            save=save,
            template="panels/case_form.html",
            context={
                "case": case,
                "title": title,
                "intro": intro,
                "submit_label": submit_label,
            },
            saved=saved,
            noun=noun,
            form_kwargs=form_kwargs,
        )
    except PermissionDenied as error:
        return _refused(request, case, what, error)


def _case_action(
    request: AuthedRequest,
    case_id: UUID,
    form_class: type,
    title: str,
    act: Any,
    *,
    what: str,
    loaded: Case | None = None,
    intro: str = "",
    submit_label: str = "",
    **form_kwargs: Any,
) -> HttpResponse:
    """A small form on a case: GET shows it, a valid POST calls ACT(case, data). WHAT names the
    change (selectors.CASE_EDITS): one the user may not make is refused, saying who may."""
    case = loaded or case_for(request, case_id)[0]
    if not may_edit_case(request.user, case, what):
        return _refused(request, case, what)
    # Bound on every POST, even an empty one (a form whose fields are all optional).
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            act(case, form.cleaned_data, form)
        except ValidationError as error:
            _form_error(form, error)
        except PermissionDenied as error:
            return _refused(request, case, what, error)
        except EditConflict as error:
            conflict = True
            form.add_error(None, _conflict_message(error))
        else:
            messages.success(request, f"{title}: done.")
            return redirect("panels:case_detail", case_id=case.pk)
    return render(
        request,
        "panels/case_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
        },
        status=409 if conflict else 200,
    )
