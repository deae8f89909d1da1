"""The case list, its export, a case's page and its edit form."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page, note
from csphub.core.access import requires_permission
from csphub.core.editing import form_step
from csphub.lib.csv_safe import csv_response
from csphub.panels import services
from csphub.panels.case_filters import REVIEW_CHOICES, SORTS, CaseFilters
from csphub.panels.choices import CaseStatus, RiskLevel
from csphub.panels.forms import (
    CaseEditForm,
)
from csphub.panels.lookup import case_for
from csphub.panels.selectors import (
    CASE_DETAILS,
    case_edits_for,
    case_list_for,
    case_page_for,
    cases_listed_for,
    panels_visible_to,
)
from csphub.panels.views.common import refused

CASES_PER_PAGE = 50


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_LIST_VIEWED)
def case_list(request: AuthedRequest) -> HttpResponse:
    panel_slug = request.GET.get("panel", "")
    filters = CaseFilters.from_query(request.GET)
    show_closed = request.GET.get("closed") == "1" or filters.shows_closed
    cases = filters.apply(
        cases_listed_for(request.user, panel_slug=panel_slug, show_closed=show_closed),
        today=timezone.localdate(),
    )
    # A page at a time: a borough's panels hold tens of thousands of cases (docs/performance.md).
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    note(request, cases=[c.reference for c in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "panels/case_list.html",
        {
            "cases": page,
            "page": page,
            "query": query.urlencode(),
            "panels": panels_visible_to(request.user),
            "panel_slug": panel_slug,
            "show_closed": show_closed,
            "filters": filters,
            "statuses": CaseStatus.choices,
            "risks": RiskLevel.choices,
            "agencies": Agency.objects.filter(
                pk__in=case_list_for(request.user).values("owning_agency")
            ).order_by("name"),
            "reviews": REVIEW_CHOICES.items(),
            "sorts": SORTS.items(),
            "can_export": request.user.has_perm("panels.export_cases"),
        },
    )


@requires_permission("panels.export_cases")
@audited_page(verbs.CASES_EXPORTED)
def case_export(request: AuthedRequest) -> HttpResponse:
    """The visible cases as CSV: references and codes only, never names."""
    cases = list(case_list_for(request.user))
    note(request, cases=[c.reference for c in cases])
    rows = (
        [
            c.reference,
            c.panel.name,
            c.owning_agency.name,
            c.get_status_display(),
            c.get_risk_level_display(),
            timezone.localdate(c.referred_at).isoformat(),
            c.review_due.isoformat() if c.review_due else "",
            c.get_closure_outcome_display(),
            " ".join(s.reference for s in c.subjects.all()),
        ]  # type: ignore[union-attr]
        for c in cases
    )
    return csv_response(
        "cases.csv",
        [
            "Case",
            "Panel",
            "Owning agency",
            "Status",
            "Risk",
            "Referred",
            "Review due",
            "Closure outcome",
            "Subjects",
        ],
        rows,
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_detail(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    return render(request, "panels/case_detail.html", case_page_for(request.user, case))


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_edit(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    # The form holds only the fields this user may change (docs/permissions.md).
    editable = [name for name in CASE_DETAILS if name in case_edits_for(request.user, case)]
    if not editable:
        return refused(request, case, "plan")

    def save(data: dict[str, Any], version: int | None) -> None:
        assert version is not None  # the form carries the version it was loaded with
        services.do_update_case(
            actor=request.user,
            case=case,
            expected_version=version,
            request=request,
            **{name: data[name] for name in editable},
        )

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Case saved.")
        return redirect("panels:case_detail", case_id=case.pk)

    return form_step(
        request,
        form_class=CaseEditForm,
        obj=case,
        initial=lambda c: {name: getattr(c, name) for name in editable},
        save=save,
        template="panels/case_edit.html",
        context={"case": case},
        saved=saved,
        noun="case",
        form_kwargs={"editable": editable},
        refused=lambda error: refused(request, case, "plan", error),
    )
