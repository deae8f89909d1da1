"""Partner extract pages: counts by month, area and measure, suppressed as casework is; no
record of a person is stored, so the pages are not view-audited (the import is)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from csphub.accounts.types import AuthedRequest
from csphub.core.access import requires_permission
from csphub.lib.disclosure import Output, Source, describe, threshold_for
from csphub.partnerdata import services
from csphub.partnerdata.errors import ExtractRefused
from csphub.partnerdata.forms import ExtractForm
from csphub.partnerdata.selectors import extract_summary, extracts_visible_to, may_import


@requires_permission("partnerdata.view_extracts")
def extract_list(request: AuthedRequest) -> HttpResponse:
    """The extracts imported, their provenance and totals; the upload form for importers."""
    importer = may_import(request.user)
    form = None
    if importer:
        form = ExtractForm(*(request.POST, request.FILES) if request.method == "POST" else ())
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["data_file"]
            try:
                extract = services.do_import_partner_extract(
                    actor=request.user,
                    file_name=upload.name,
                    data=upload.read(),
                    layout=form.cleaned_data["layout"],
                    supplier=form.cleaned_data["supplier"],
                    agreement_reference=form.cleaned_data["agreement_reference"],
                    area_code=form.cleaned_data["area_code"],
                    request=request,
                )
            except ExtractRefused as exc:
                form.add_error("data_file", exc.message)
            else:
                messages.success(request, f"Imported {extract.file_name}.")
                return redirect("partnerdata:extract_list")
    elif request.method == "POST":
        raise PermissionDenied
    extracts = list(extracts_visible_to(request.user)[:50])
    return render(
        request,
        "partnerdata/extract_list.html",
        {
            "form": form,
            "extracts": [(e, extract_summary(e)) for e in extracts],
            "suppression": describe(threshold_for(Source.CASEWORK, Output.INTERNAL)),
        },
        status=400 if form is not None and form.errors else 200,
    )
