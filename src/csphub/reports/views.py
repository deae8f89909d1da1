"""The annual report's pages. Thin: selectors read, services write. The report holds aggregate
figures only (casework suppressed), so its pages are not view-audited; every write is."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.core.errors import ServiceError
from csphub.reports import services
from csphub.reports.build import document_html, pdf_bytes
from csphub.reports.forms import NarrativeForm, YearForm
from csphub.reports.sections import TITLES
from csphub.reports.selectors import annual_reports_visible_to, narratives_of


def _year(request: AuthedRequest) -> int:
    default = timezone.localdate().year - 1
    form = YearForm(request.GET or None)
    return form.cleaned_data["year"] if form.is_bound and form.is_valid() else default


@requires_permission("reports.view_annual")
def annual(request: AuthedRequest) -> HttpResponse:
    """The year's latest build, its sign-off and the narrative of each section."""
    year = _year(request)
    builds = list(annual_reports_visible_to(request.user).filter(year=year))
    narratives = narratives_of(request.user, year)
    return render(
        request,
        "reports/annual.html",
        {
            "year": year,
            "year_form": YearForm(initial={"year": year}),
            "latest": builds[0] if builds else None,
            "builds": builds,
            "sections": [(key, title, narratives.get(key)) for key, title in TITLES.items()],
            "can_build": request.user.has_perm("reports.build_annual"),
            "can_sign_off": request.user.has_perm("reports.sign_off_annual"),
        },
    )


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('reports:annual')}?year={year}")


@require_POST
@requires_permission("reports.build_annual")
def annual_build(request: AuthedRequest) -> HttpResponse:
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a year from 2010 to this year.")
        return redirect("reports:annual")
    year = form.cleaned_data["year"]
    try:
        stored = services.do_build_annual_report(actor=request.user, year=year, request=request)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:annual")
    messages.success(request, f"The {year} report was built ({stored.html_sha256[:12]}).")
    return _back(year)


@require_POST
@requires_permission("reports.sign_off_annual")
def annual_sign_off(request: AuthedRequest, report_id: Any) -> HttpResponse:
    report = get_visible_or_404(annual_reports_visible_to(request.user), pk=report_id)
    try:
        services.do_sign_off_annual_report(actor=request.user, report=report, request=request)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Signed off.")
    return _back(report.year)


@requires_permission("reports.view_annual")
def annual_html(request: AuthedRequest, report_id: Any) -> HttpResponse:
    report = get_visible_or_404(annual_reports_visible_to(request.user), pk=report_id)
    """The stored build as its stand-alone document, read in the browser with the service's
    own copy of the GOV.UK styles."""
    document = document_html(report.html, report.year, static("vendor/csphub.css"))
    return HttpResponse(document, content_type="text/html; charset=utf-8")


@requires_permission("reports.view_annual")
def annual_pdf(request: AuthedRequest, report_id: Any) -> HttpResponse:
    report = get_visible_or_404(annual_reports_visible_to(request.user), pk=report_id)
    response = HttpResponse(
        pdf_bytes(document_html(report.html, report.year)), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="partnership-delivery-{report.year}.pdf"'
    )
    return response


@requires_permission("reports.build_annual")
def narrative_edit(request: AuthedRequest, year: int, section: str) -> HttpResponse:
    if section not in TITLES or not 2010 <= year <= 2100:
        raise PermissionDenied
    narrative = narratives_of(request.user, year).get(section)

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"Narrative for {TITLES[section]} saved.")
        return _back(year)

    return form_step(
        request,
        form_class=NarrativeForm,
        obj=narrative,
        initial=lambda n: {"text": n.text},
        form_kwargs={"new": narrative is None},
        save=lambda data, version: services.do_save_narrative(
            actor=request.user,
            year=year,
            section=section,
            text=data["text"],
            version=version,
            request=request,
        ),
        saved=saved,
        template="core/form_page.html",
        context={"title": f"{TITLES[section]}: narrative for {year}", "submit_label": "Save"},
        noun="narrative",
    )


@requires_permission("reports.view_annual")
def annual_docx(request: AuthedRequest, report_id: Any) -> HttpResponse:
    report = get_visible_or_404(annual_reports_visible_to(request.user), pk=report_id)
    response = HttpResponse(
        bytes(report.docx),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="partnership-delivery-{report.year}.docx"'
    )
    return response
