"""What every case page shares: a refusal that says who may, and the small forms on a case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from csphub.accounts.types import AuthedRequest
from csphub.core.editing import form_step
from csphub.panels.models import Case
from csphub.panels.selectors import case_edit_refusal, may_edit_case


def refused(
    request: AuthedRequest, case: Case, what: str, error: PermissionDenied | None = None
) -> HttpResponse:
    """A change the user may not make to a case they can see: 403, saying who may (or what the
    service said when it refused)."""
    message = str(error or "") or case_edit_refusal(request.user, case, what)
    return render(
        request, "panels/case_refused.html", {"case": case, "message": message}, status=403
    )


def case_step(
    request: AuthedRequest,
    case: Case,
    *,
    what: str,
    form_class: Callable[..., forms.BaseForm],
    title: str,
    save: Callable[[dict[str, Any], int | None], object],
    obj: Any = None,
    noun: str = "case",
    initial: Callable[[Any], dict[str, Any]] | None = None,
    intro: str = "",
    submit_label: str = "",
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """A small form on CASE, on the case form page (`form_step`; OBJ: the versioned record it
    edits, the case or a record on it). WHAT names the change (selectors.CASE_EDITS): one the
    user may not make is refused, saying who may."""
    if not may_edit_case(request.user, case, what):
        return refused(request, case, what)

    def done(_: object) -> HttpResponse:
        messages.success(request, f"{title}: done.")
        return redirect("panels:case_detail", case_id=case.pk)

    return form_step(
        request,
        form_class=form_class,
        save=save,
        saved=done,
        template="panels/case_form.html",
        context={"case": case, "title": title, "intro": intro, "submit_label": submit_label},
        obj=obj,
        initial=initial,
        noun=noun,
        form_kwargs=form_kwargs,
        refused=lambda error: refused(request, case, what, error),
    )
