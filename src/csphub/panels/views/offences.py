"""Importing a police extract of offences for referred people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from csphub.accounts.types import AuthedRequest
from csphub.core.access import requires_permission
from csphub.panels import services
from csphub.panels.forms import OffenceImportForm
from csphub.panels.offence_categories import category_choices
from csphub.panels.offence_import import MAX_ROWS, OffenceImportRejected
from csphub.panels.selectors import may_import_offences


@requires_permission("panels.view_cases")
def offence_import(request: AuthedRequest) -> HttpResponse:
    """The police partner or a co-ordinator uploads an extract; every row is checked first,
    and a rejected file lists each problem (file, row, column, why) with nothing imported."""
    if not may_import_offences(request.user):
        raise PermissionDenied
    form = OffenceImportForm(*(request.POST, request.FILES) if request.method == "POST" else ())
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["extract"]
        try:
            result = services.do_import_offences(
                actor=request.user,
                name=upload.name or "extract",
                content=upload.read(),
                request=request,
            )
        except OffenceImportRejected as rejected:
            for problem in rejected.problems:
                form.add_error("extract", problem)
        else:
            messages.success(
                request,
                f"Imported {result.recorded} offence{'s' if result.recorded != 1 else ''} from "
                f"{result.file_name} ({result.already_recorded} already recorded).",
            )
            return redirect("panels:offence_import")
    return render(
        request,
        "panels/offence_import.html",
        {"form": form, "categories": category_choices(), "max_rows": MAX_ROWS},
        status=400 if form.errors else 200,
    )
