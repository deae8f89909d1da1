"""Reads of ASB casework, through the one case-access rule (csphub.panels.selectors)."""

from __future__ import annotations

from typing import Any

from csphub.asb.matrix import current_matrix
from csphub.asb.models import Incident, RiskAssessment, ToolUse
from csphub.panels.choices import PanelKind
from csphub.panels.models import Case
from csphub.panels.selectors import cases_visible_to, may_edit_case

# The panels whose cases carry ASB casework: those whose kind is the ASB Case Management
# Panel (docs/adr/0207-asb-casework-beside-the-case.md says why this is the kind, for now).
ASB_PANEL_KINDS = frozenset({PanelKind.ASB_CMP})


def is_asb_case(case: Case) -> bool:
    return case.panel.kind in ASB_PANEL_KINDS


def asb_cases_visible_to(user: Any) -> Any:
    """The ASB cases USER may open (the one case-access rule, narrowed to ASB panels)."""
    return cases_visible_to(user).filter(panel__kind__in=ASB_PANEL_KINDS)


def may_record_asb(user: Any, case: Case) -> bool:
    """Whether USER may record a risk assessment, an incident or a tool on CASE: an ASB case
    open and taken up, and USER one of those who work it (`asb_casework` in CASE_EDITS)."""
    return is_asb_case(case) and may_edit_case(user, case, "asb_casework")


def case_section(user: Any, case: Case) -> dict[str, Any] | None:
    """The ASB section of CASE's page for USER: None for a case not on an ASB panel, or one
    USER may not open."""
    if not is_asb_case(case) or not asb_cases_visible_to(user).filter(pk=case.pk).exists():
        return None
    assessments = list(RiskAssessment.objects.filter(case=case).select_related("assessed_by"))
    return {
        "case": case,
        "latest": assessments[0] if assessments else None,
        "assessments": assessments,
        "incidents": list(Incident.objects.filter(case=case).select_related("recorded_by")),
        "tools": list(ToolUse.objects.filter(case=case)),
        "can_record": may_record_asb(user, case),
        "matrix": current_matrix(),
    }


def assessment_rows(assessment: RiskAssessment) -> list[tuple[str, int, bool]]:
    """(question, weight, answered yes) for each question of the matrix it was scored on."""
    matrix = current_matrix()
    if matrix.version != assessment.matrix_version:
        # Scored on an older matrix: show its answers as recorded, by code.
        return [(code, 0, bool(yes)) for code, yes in sorted(assessment.answers.items())]
    return [(q.text, q.weight, bool(assessment.answers.get(q.code))) for q in matrix.questions]
