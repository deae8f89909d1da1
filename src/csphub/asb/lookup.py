"""Fetching an ASB case, or one of its assessments, incidents or tools, for a page: the one
place an id becomes the record, or a 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from csphub.accounts.types import AuthedRequest
from csphub.asb.models import Incident, RiskAssessment, ToolUse
from csphub.asb.selectors import is_asb_case, may_record_asb
from csphub.panels.lookup import case_for
from csphub.panels.models import Case


def asb_case_for(request: AuthedRequest, case_id: UUID | str) -> tuple[Case, bool]:
    """The case if the user may open it and it is an ASB case, and whether they may record ASB
    casework on it; otherwise 404 (a refusal of a real case is audited by `case_for`)."""
    case, _ = case_for(request, case_id)
    if not is_asb_case(case):
        raise Http404("Not found")
    return case, may_record_asb(request.user, case)


def _on_case(model: Any, case: Case, pk: UUID | str) -> Any:
    found = model.objects.filter(case=case, pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found


def assessment_for(
    request: AuthedRequest, case_id: UUID | str, assessment_id: UUID | str
) -> tuple[RiskAssessment, bool]:
    case, can = asb_case_for(request, case_id)
    return _on_case(RiskAssessment, case, assessment_id), can


def incident_for(
    request: AuthedRequest, case_id: UUID | str, incident_id: UUID | str
) -> tuple[Incident, bool]:
    case, can = asb_case_for(request, case_id)
    return _on_case(Incident, case, incident_id), can


def tool_for(
    request: AuthedRequest, case_id: UUID | str, tool_id: UUID | str
) -> tuple[ToolUse, bool]:
    case, can = asb_case_for(request, case_id)
    return _on_case(ToolUse, case, tool_id), can
