"""Needs assessment pages. Aggregates only, casework and partner counts suppressed in both
outputs, so the pages are not view-audited; every build and finding is (the services)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.core.access import requires_permission
from csphub.core.editing import form_step
from csphub.core.errors import ServiceError
from csphub.crime.selectors import resolve_area
from csphub.lib.periods import SV_DUTY, Period, add_months, window
from csphub.sna import services
from csphub.sna.build import pdf
from csphub.sna.forms import BuildForm, FindingEditForm, FindingForm
from csphub.sna.selectors import (
    assessment_for,
    finding_for,
    findings_with_actions,
    latest_for,
    may_build,
    may_read_full,
)


def _window(request: AuthedRequest) -> Period:
    """The window asked for (?window=2022-10:2023-09), else the latest whole October to
    September before this month."""
    text = request.GET.get("window") or request.POST.get("window") or ""
    if text:
        try:
            return window(text)
        except ValueError:
            pass
    return SV_DUTY.named(SV_DUTY.latest_whole(add_months(timezone.localdate().replace(day=1), -1)))


def _key(period: Period) -> str:
    return f"{period.start:%Y-%m}:{period.end:%Y-%m}"


def area_code() -> str:
    """The borough's GSS code, which partner counts are keyed on."""
    return resolve_area(settings.CRIME_AREA).code


@requires_permission("sna.read_summary")
def overview(request: AuthedRequest) -> HttpResponse:
    period = _window(request)
    user = request.user
    return render(
        request,
        "sna/overview.html",
        {
            "period": period,
            "window": _key(period),
            "previous": _key(period.shifted(-12, "")),
            "next": _key(period.shifted(12, "")),
            "assessment": latest_for(user, period),
            "findings": findings_with_actions(period),
            "may_build": may_build(user),
            "may_read_full": may_read_full(user),
            "build_form": BuildForm() if may_build(user) else None,
            "finding_form": FindingForm() if may_build(user) else None,
        },
    )


@require_POST
@requires_permission("sna.build_assessment")
def build(request: AuthedRequest) -> HttpResponse:
    period = _window(request)
    form = BuildForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.do_build_assessment(
                actor=request.user,
                period=period,
                area_code=area_code(),
                definition_key=data["definition"],
                populations={"all": data["population"], "under_25": data["population_under_25"]},
                request=request,
            )
        except ServiceError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Built the needs assessment for {period.label}.")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("sna:overview") + f"?window={_key(period)}")


@require_POST
@requires_permission("sna.build_assessment")
def finding_add(request: AuthedRequest) -> HttpResponse:
    period = _window(request)
    form = FindingForm(request.POST)
    if form.is_valid():
        finding = services.do_add_finding(
            actor=request.user,
            period=period,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            request=request,
        )
        messages.success(request, f"Added {finding.number}.")
    else:
        messages.error(request, "Enter the gap or recommendation.")
    return redirect(reverse("sna:overview") + f"?window={_key(period)}")


@requires_permission("sna.build_assessment")
def finding_edit(request: AuthedRequest, finding_id: Any) -> HttpResponse:
    finding = finding_for(request.user, finding_id)
    back = (
        reverse("sna:overview") + f"?window={finding.window_start:%Y-%m}:{finding.window_end:%Y-%m}"
    )
    return form_step(
        request,
        form_class=FindingEditForm,
        obj=finding,
        initial=lambda f: {"text": f.text},
        save=lambda data, version: services.do_change_finding(
            actor=request.user, finding=finding, text=data["text"], version=version, request=request
        ),
        saved=lambda f: redirect(back),
        template="sna/finding_edit.html",
        context={"finding": finding, "back": back},
        noun="gap or recommendation",
    )


def _document(request: AuthedRequest, assessment_id: Any, full: bool, as_pdf: bool) -> HttpResponse:
    if full and not may_read_full(request.user):
        raise Http404
    assessment = assessment_for(request.user, assessment_id)
    html = assessment.full_html if full else assessment.summary_html
    if not as_pdf:
        return HttpResponse(html)
    name = f"sna-{assessment.window_end:%Y-%m}-{'full' if full else 'summary'}.pdf"
    response = HttpResponse(pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires_permission("sna.read_assessment")
def full_html(request: AuthedRequest, assessment_id: Any) -> HttpResponse:
    return _document(request, assessment_id, full=True, as_pdf=False)


@requires_permission("sna.read_assessment")
def full_pdf(request: AuthedRequest, assessment_id: Any) -> HttpResponse:
    return _document(request, assessment_id, full=True, as_pdf=True)


@requires_permission("sna.read_summary")
def summary_html(request: AuthedRequest, assessment_id: Any) -> HttpResponse:
    return _document(request, assessment_id, full=False, as_pdf=False)


@requires_permission("sna.read_summary")
def summary_pdf(request: AuthedRequest, assessment_id: Any) -> HttpResponse:
    return _document(request, assessment_id, full=False, as_pdf=True)
