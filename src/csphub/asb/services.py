"""Every write to ASB casework: keyword-only, atomic, checked against the case's rule, audited
(ids and codes only) and put on the case's timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from csphub.asb import verbs
from csphub.asb.choices import ToolKind, ToolStatus
from csphub.asb.matrix import current_matrix
from csphub.asb.models import Incident, RiskAssessment, ToolUse
from csphub.asb.selectors import is_asb_case, may_record_asb
from csphub.audit.verbs import Verb
from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.panels.models import Case
from csphub.panels.selectors import case_edit_refusal
from csphub.panels.services import record_case_event

if TYPE_CHECKING:
    from django.http import HttpRequest

    from csphub.accounts.models import User


def _check(actor: User, case: Case) -> None:
    if not may_record_asb(actor, case):
        if not is_asb_case(case):
            raise PermissionDenied(f"Case {case.reference} is not on an ASB panel.")
        raise PermissionDenied(case_edit_refusal(actor, case, "asb_casework"))


def _own_fields(fields: dict[str, Any], allowed: tuple[str, ...], noun: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Not fields of {noun}: {sorted(unknown)}")


def _save_change(
    *,
    actor: User,
    record: Incident | ToolUse,
    expected_version: int,
    fields: dict[str, Any],
    verb: Verb,
    summary: Callable[[], str],
    payload: Callable[[], dict[str, Any]],
    request: HttpRequest | None,
) -> None:
    """Write FIELDS to RECORD if nobody saved it since EXPECTED_VERSION (else EditConflict),
    and put the change on its case's timeline; SUMMARY and PAYLOAD are read after the save."""
    with transaction.atomic():
        save_if_unchanged(record, expected_version=expected_version, fields=fields)
        record_case_event(
            verb=verb,
            actor=actor,
            case=record.case,
            summary=summary(),
            source=record,
            target=record,
            payload=payload(),
            request=request,
        )


def do_record_risk_assessment(
    *,
    actor: User,
    case: Case,
    answers: dict[str, bool],
    assessed_on: date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> RiskAssessment:
    """Score ANSWERS on the current matrix and keep them as the case's next assessment."""
    _check(actor, case)
    matrix = current_matrix()
    try:
        score = matrix.score(answers)
    except ValueError as error:
        raise ServiceError(str(error)) from error
    with transaction.atomic():
        # Lock the case so two assessments saved at once cannot take the same number.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        last = RiskAssessment.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0
        assessment = RiskAssessment.objects.create(
            case=case,
            number=last + 1,
            matrix_version=matrix.version,
            answers={q.code: bool(answers.get(q.code)) for q in matrix.questions},
            total=score.total,
            band=score.band,
            assessed_on=assessed_on,
            notes=notes,
            assessed_by=actor,
        )
        record_case_event(
            verb=verbs.ASSESSMENT_RECORDED,
            actor=actor,
            case=case,
            summary=f"Victim risk assessment {assessment.number}: {score.label.lower()} "
            f"(score {score.total} of {matrix.max_total})",
            source=assessment,
            target=assessment,
            payload={"band": score.band, "band_label": score.label, "total": score.total},
            request=request,
        )
    return assessment


INCIDENT_FIELDS = (
    "occurred_on",
    "occurred_time",
    "kind",
    "description",
    "reported_by",
    "police_reference",
)


def do_log_incident(
    *,
    actor: User,
    case: Case,
    occurred_on: date,
    kind: str,
    description: str,
    reported_by: str,
    occurred_time: time | None = None,
    police_reference: str = "",
    request: HttpRequest | None = None,
) -> Incident:
    """Add an incident to CASE's log."""
    _check(actor, case)
    with transaction.atomic():
        incident = Incident.objects.create(
            case=case,
            occurred_on=occurred_on,
            occurred_time=occurred_time,
            kind=kind,
            description=description,
            reported_by=reported_by,
            police_reference=police_reference.strip(),
            recorded_by=actor,
        )
        record_case_event(
            verb=verbs.INCIDENT_RECORDED,
            actor=actor,
            case=case,
            summary=f"Incident logged: {incident.get_kind_display()} on {occurred_on:%d %b %Y}",
            source=incident,
            target=incident,
            payload={"kind": kind},
            request=request,
        )
    return incident


def do_update_incident(
    *,
    actor: User,
    incident: Incident,
    expected_version: int,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Incident:
    """Change an incident, if nobody saved it since EXPECTED_VERSION (else EditConflict)."""
    _own_fields(fields, INCIDENT_FIELDS, "an incident")
    _check(actor, incident.case)
    if "police_reference" in fields:
        fields["police_reference"] = fields["police_reference"].strip()
    _save_change(
        actor=actor,
        record=incident,
        expected_version=expected_version,
        fields=fields,
        verb=verbs.INCIDENT_CHANGED,
        summary=lambda: (
            f"Incident changed: {incident.get_kind_display()} on {incident.occurred_on:%d %b %Y}"
        ),
        payload=lambda: {"kind": incident.kind, "fields": sorted(fields)},
        request=request,
    )
    return incident


TOOL_FIELDS = (
    "status",
    "recipient_name",
    "recipient_address",
    "behaviour",
    "requirements",
    "issued_on",
    "served_on",
    "review_on",
)


def tool_date_errors(
    *, status: str, issued_on: date | None, served_on: date | None, review_on: date | None
) -> dict[str, str]:
    """The dates a tool's status needs, in the order they happen."""
    errors = {}
    issued_or_later = {
        ToolStatus.ISSUED,
        ToolStatus.SERVED,
        ToolStatus.BREACHED,
        ToolStatus.COMPLIED,
        ToolStatus.EXPIRED,
    }
    if status in issued_or_later and issued_on is None:
        errors["issued_on"] = "Enter the date it was issued"
    if status in issued_or_later - {ToolStatus.ISSUED} and served_on is None:
        errors["served_on"] = "Enter the date it was served"
    if issued_on and served_on and served_on < issued_on:
        errors["served_on"] = "The date it was served must be the same as or after it was issued"
    if issued_on and review_on and review_on < issued_on:
        errors["review_on"] = "The expiry or review date must be after the date it was issued"
    return errors


def do_record_tool(
    *,
    actor: User,
    case: Case,
    kind: str,
    recipient_name: str,
    behaviour: str,
    status: str = ToolStatus.PLANNED,
    recipient_address: str = "",
    requirements: str = "",
    issued_on: date | None = None,
    served_on: date | None = None,
    review_on: date | None = None,
    request: HttpRequest | None = None,
) -> ToolUse:
    """Record a tool or power used (or planned) on CASE."""
    _check(actor, case)
    errors = tool_date_errors(
        status=status, issued_on=issued_on, served_on=served_on, review_on=review_on
    )
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        tool = ToolUse.objects.create(
            case=case,
            kind=kind,
            status=status,
            recipient_name=recipient_name,
            recipient_address=recipient_address,
            behaviour=behaviour,
            requirements=requirements,
            issued_on=issued_on,
            served_on=served_on,
            review_on=review_on,
            recorded_by=actor,
        )
        label = ToolKind(kind).label
        record_case_event(
            verb=verbs.TOOL_RECORDED,
            actor=actor,
            case=case,
            summary=f"{label} recorded ({tool.get_status_display().lower()})",
            source=tool,
            target=tool,
            payload={"kind": kind, "kind_label": label, "status": status},
            request=request,
        )
    return tool


def do_update_tool(
    *,
    actor: User,
    tool: ToolUse,
    expected_version: int,
    request: HttpRequest | None = None,
    **fields: Any,
) -> ToolUse:
    """Change a tool's status, dates or wording, if nobody saved it since EXPECTED_VERSION."""
    _own_fields(fields, TOOL_FIELDS, "a tool or power")
    _check(actor, tool.case)
    after = {name: fields.get(name, getattr(tool, name)) for name in TOOL_FIELDS}
    errors = tool_date_errors(
        status=after["status"],
        issued_on=after["issued_on"],
        served_on=after["served_on"],
        review_on=after["review_on"],
    )
    if errors:
        raise ServiceError(errors)
    label = tool.get_kind_display()
    _save_change(
        actor=actor,
        record=tool,
        expected_version=expected_version,
        fields=fields,
        verb=verbs.TOOL_CHANGED,
        summary=lambda: f"{label} changed ({tool.get_status_display().lower()})",
        payload=lambda: {"kind": tool.kind, "kind_label": label, "status": tool.status},
        request=request,
    )
    return tool
