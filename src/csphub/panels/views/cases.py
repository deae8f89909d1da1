"""The case list, its export, a case's page and its edit form."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from csphub.audit import verbs
from csphub.audit.pages import audited_page, note
from csphub.core.access import requires_permission
from csphub.core.editing import versioned_edit
from csphub.core.types import AuthedRequest
from csphub.lib.csv_safe import csv_response
from csphub.panels import services
from csphub.panels.choices import TransitionStatus
from csphub.panels.forms import (
    CaseEditForm,
)
from csphub.panels.models import (
    Case,
    CaseSubject,
    Offence,
    TimelineEntry,
)
from csphub.panels.reports import before_after
from csphub.panels.selectors import (
    CASE_DETAILS,
    case_edits_for,
    case_list_for,
    may_decide,
    may_manage_assignments,
    may_see_offences,
    may_withdraw,
    next_statuses,
    panels_visible_to,
    unassignable,
)
from csphub.panels.views.common import (
    _case_or_404,
    _refused,
)


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_LIST_VIEWED)
def case_list(request: AuthedRequest) -> HttpResponse:
    cases = case_list_for(request.user)
    panel_slug = request.GET.get("panel", "")
    if panel_slug:
        cases = cases.filter(panel__slug=panel_slug)
    show_closed = request.GET.get("closed") == "1"
    if not show_closed:
        cases = cases.exclude(status="closed")
    note(request, cases=[c.reference for c in cases])
    return render(
        request,
        "panels/case_list.html",
        {
            "cases": cases,
            "panels": panels_visible_to(request.user),
            "panel_slug": panel_slug,
            "show_closed": show_closed,
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
    case = _case_or_404(request, case_id)
    return render(request, "panels/case_detail.html", _case_context(request, case))


def _case_context(request: AuthedRequest, case: Case) -> dict[str, Any]:
    subjects = list(CaseSubject.objects.filter(case=case).select_related("person", "place"))
    transitions = list(
        case.transitions.select_related(
            "from_panel",
            "to_panel",
            "from_agency",
            "to_agency",
            "made_by",
            "decided_by",
            "case__panel",
        )
    )
    pivot = timezone.localdate(case.referred_at)
    show_offences = may_see_offences(request.user, case)
    # One query for every subject's offences, however many people the case is about.
    offences: dict[Any, list[Offence]] = {}
    for offence in Offence.objects.filter(
        person_id__in=[s.person_id for s in subjects if s.person_id and show_offences]
    ):
        offences.setdefault(offence.person_id, []).append(offence)
    subject_rows = [
        (
            s,
            before_after(offences.get(s.person_id, []), pivot)
            if s.person_id and show_offences
            else None,
        )
        for s in subjects
    ]
    can = case_edits_for(request.user, case)
    can_assign = may_manage_assignments(request.user, case)
    assigned = list(case.assigned_practitioners.select_related("agency"))
    removable = unassignable(request.user, case, assigned)
    return {
        "case": case,
        "subjects": subjects,
        "transitions": transitions,
        "decidable": [
            t
            for t in transitions
            if t.status == TransitionStatus.PENDING
            and (may_decide(request.user, t) or may_withdraw(request.user, t))
        ],
        "timeline": TimelineEntry.objects.filter(case=case).select_related("actor")[:100],
        "flags": case.flags.filter(cleared_at__isnull=True),
        "assigned": [(u, u.pk in removable) for u in assigned],
        "can_assign": can_assign,
        "subject_rows": subject_rows,
        "show_offences": show_offences,
        "can": can,
        "can_edit": bool(can.intersection(CASE_DETAILS)),
        "can_remove_subjects": "remove_subject" in can and len(subjects) > 1,
        "next_statuses": next_statuses(case) if can & {"status", "reopen"} else [],
    }


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_edit(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    # The form holds only the fields this user may change (docs/permissions.md).
    editable = [name for name in CASE_DETAILS if name in case_edits_for(request.user, case)]
    if not editable:
        return _refused(request, case, "plan")

    def save(data: dict[str, Any], version: int) -> None:
        services.do_update_case(
            actor=request.user,
            case=case,
            expected_version=version,
            request=request,
            **{name: data[name] for name in editable},
        )

    def saved() -> HttpResponse:
        messages.success(request, "Case saved.")
        return redirect("panels:case_detail", case_id=case.pk)

    try:
        return versioned_edit(
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
        )
    except PermissionDenied as error:
        return _refused(request, case, "plan", error)
