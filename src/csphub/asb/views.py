"""ASB casework pages on a case. Reads through selectors and lookups, writes through services."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from csphub.accounts.types import AuthedRequest
from csphub.asb import services, verbs
from csphub.asb.forms import (
    IncidentForm,
    NewIncidentForm,
    NewToolForm,
    RiskAssessmentForm,
    ToolForm,
)
from csphub.asb.letters import letter_name, tool_letter
from csphub.asb.lookup import asb_case_for, assessment_for, incident_for, tool_for
from csphub.asb.matrix import current_matrix
from csphub.asb.selectors import assessment_rows
from csphub.audit import verbs as page_verbs
from csphub.audit.pages import audited_page, note
from csphub.core.access import requires_permission
from csphub.core.editing import form_step
from csphub.core.letters import letter_response
from csphub.panels.models import Case
from csphub.panels.views.common import refused

VIEW = "panels.view_cases"


def _back(case: Case) -> HttpResponse:
    return redirect("panels:case_detail", case_id=case.pk)


def _writable(request: AuthedRequest, case: Case, can: bool) -> HttpResponse | None:
    """The page saying who may record ASB casework, for someone who may only read the case."""
    return None if can else refused(request, case, "asb_casework")


@requires_permission(VIEW)
@audited_page(page_verbs.CASE_VIEWED, "panels.case", "case_id")
def assessment_new(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, can = asb_case_for(request, case_id)
    if (answer := _writable(request, case, can)) is not None:
        return answer
    form_holder: dict[str, RiskAssessmentForm] = {}

    def form_class(*args: Any, **kwargs: Any) -> RiskAssessmentForm:
        form_holder["form"] = RiskAssessmentForm(*args, **kwargs)
        return form_holder["form"]

    def save(data: dict[str, Any], _: int | None) -> object:
        return services.do_record_risk_assessment(
            actor=request.user,
            case=case,
            answers=form_holder["form"].answers(),
            assessed_on=data["assessed_on"],
            notes=data["notes"],
            request=request,
        )

    def saved(assessment: Any) -> HttpResponse:
        messages.success(request, f"Risk assessment saved: {assessment.get_band_display()}.")
        return _back(case)

    matrix = current_matrix()
    return form_step(
        request,
        form_class=form_class,
        save=save,
        saved=saved,
        template="asb/form.html",
        context={
            "case": case,
            "title": matrix.title,
            "intro": matrix.source,
            "submit_label": "Save the assessment",
        },
        refused=lambda error: refused(request, case, "asb_casework", error),
    )


@requires_permission(VIEW)
@audited_page(verbs.PAGE_VIEWED, "asb.riskassessment", "assessment_id")
def assessment_detail(request: AuthedRequest, case_id: UUID, assessment_id: UUID) -> HttpResponse:
    assessment, _ = assessment_for(request, case_id, assessment_id)
    return render(
        request,
        "asb/assessment_detail.html",
        {
            "case": assessment.case,
            "assessment": assessment,
            "rows": assessment_rows(assessment),
            "max_total": current_matrix().max_total,
        },
    )


@requires_permission(VIEW)
@audited_page(page_verbs.CASE_VIEWED, "panels.case", "case_id")
def incident_new(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, can = asb_case_for(request, case_id)
    if (answer := _writable(request, case, can)) is not None:
        return answer

    def save(data: dict[str, Any], _: int | None) -> object:
        return services.do_log_incident(actor=request.user, case=case, request=request, **data)

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Incident logged.")
        return _back(case)

    return form_step(
        request,
        form_class=NewIncidentForm,
        save=save,
        saved=saved,
        template="asb/form.html",
        context={"case": case, "title": "Log an incident", "submit_label": "Log the incident"},
        refused=lambda error: refused(request, case, "asb_casework", error),
    )


@requires_permission(VIEW)
@audited_page(verbs.PAGE_VIEWED, "asb.incident", "incident_id")
def incident_edit(request: AuthedRequest, case_id: UUID, incident_id: UUID) -> HttpResponse:
    incident, can = incident_for(request, case_id, incident_id)
    case = incident.case
    if (answer := _writable(request, case, can)) is not None:
        return answer

    def save(data: dict[str, Any], version: int | None) -> object:
        assert version is not None  # the form carries the version it was loaded with
        return services.do_update_incident(
            actor=request.user,
            incident=incident,
            expected_version=version,
            request=request,
            **data,
        )

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Incident saved.")
        return _back(case)

    return form_step(
        request,
        form_class=IncidentForm,
        obj=incident,
        initial=lambda i: {name: getattr(i, name) for name in services.INCIDENT_FIELDS},
        save=save,
        saved=saved,
        template="asb/form.html",
        context={"case": case, "title": "Change an incident"},
        noun="incident",
        refused=lambda error: refused(request, case, "asb_casework", error),
    )


@requires_permission(VIEW)
@audited_page(page_verbs.CASE_VIEWED, "panels.case", "case_id")
def tool_new(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, can = asb_case_for(request, case_id)
    if (answer := _writable(request, case, can)) is not None:
        return answer

    def save(data: dict[str, Any], _: int | None) -> object:
        return services.do_record_tool(actor=request.user, case=case, request=request, **data)

    def saved(tool: Any) -> HttpResponse:
        messages.success(request, f"{tool.get_kind_display()} recorded.")
        return _back(case)

    return form_step(
        request,
        form_class=NewToolForm,
        save=save,
        saved=saved,
        template="asb/form.html",
        context={"case": case, "title": "Record a tool or power", "submit_label": "Record it"},
        refused=lambda error: refused(request, case, "asb_casework", error),
    )


@requires_permission(VIEW)
@audited_page(verbs.PAGE_VIEWED, "asb.tooluse", "tool_id")
def tool_edit(request: AuthedRequest, case_id: UUID, tool_id: UUID) -> HttpResponse:
    tool, can = tool_for(request, case_id, tool_id)
    case = tool.case
    if (answer := _writable(request, case, can)) is not None:
        return answer

    def save(data: dict[str, Any], version: int | None) -> object:
        assert version is not None  # the form carries the version it was loaded with
        return services.do_update_tool(
            actor=request.user, tool=tool, expected_version=version, request=request, **data
        )

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"{tool.get_kind_display()} saved.")
        return _back(case)

    return form_step(
        request,
        form_class=ToolForm,
        obj=tool,
        initial=lambda t: {name: getattr(t, name) for name in services.TOOL_FIELDS},
        save=save,
        saved=saved,
        template="asb/form.html",
        context={"case": case, "title": f"Change the {tool.get_kind_display().lower()}"},
        noun=tool.get_kind_display().lower(),
        refused=lambda error: refused(request, case, "asb_casework", error),
    )


def _letter(request: AuthedRequest, case_id: UUID, tool_id: UUID, fmt: str) -> HttpResponse:
    tool, can = tool_for(request, case_id, tool_id)
    if not can:
        # A letter names its recipient: it is for those who work the case, not every reader.
        raise PermissionDenied("Only those who work the case may download its letters.")
    note(request, case=tool.case.reference, kind=tool.kind, format=fmt)
    letter = tool_letter(tool, signed_by=request.user.full_name)
    return letter_response(letter, fmt, letter_name(tool))


@requires_permission(VIEW)
@audited_page(verbs.LETTER_DOWNLOADED, "asb.tooluse", "tool_id")
def tool_letter_pdf(request: AuthedRequest, case_id: UUID, tool_id: UUID) -> HttpResponse:
    return _letter(request, case_id, tool_id, "pdf")


@requires_permission(VIEW)
@audited_page(verbs.LETTER_DOWNLOADED, "asb.tooluse", "tool_id")
def tool_letter_docx(request: AuthedRequest, case_id: UUID, tool_id: UUID) -> HttpResponse:
    return _letter(request, case_id, tool_id, "docx")
