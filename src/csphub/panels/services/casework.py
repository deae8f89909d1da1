"""Working a case: its details, notes, flags and status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.panels import verbs
from csphub.panels.choices import CaseStatus
from csphub.panels.models import Case, CaseFlag, TimelineEntry
from csphub.panels.selectors import (
    CASE_DETAILS,
    case_edit_refusal,
    case_edits_for,
    next_statuses,
)
from csphub.panels.services.common import edit_check, raise_if, review_due
from csphub.panels.services.timeline import record_case_event

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_update_case(
    *,
    actor: User,
    case: Case,
    expected_version: int,
    summary: str | None = None,
    plan: str | None = None,
    risk_level: str | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Edit a case's summary, plan and risk (each kept as it is when not given); refused
    (EditConflict) if someone saved it since, and each change refused unless may_edit_case
    gives it to ACTOR (docs/permissions.md).

    On a panel that uses the risk screen, the risk stays within what the screen allows for
    the people on the case and the latest scores recorded for it.
    """
    given = {"summary": summary, "plan": plan, "risk_level": risk_level}
    new = {k: v for k, v in given.items() if v is not None}
    changed = sorted(k for k, v in new.items() if getattr(case, k) != v)
    allowed = case_edits_for(actor, case)
    if not allowed.intersection(CASE_DETAILS):
        # Not even a save that changes nothing; the plan's refusal names the most people.
        raise PermissionDenied(case_edit_refusal(actor, case, "plan"))
    for field in changed:
        if field not in allowed:
            raise PermissionDenied(case_edit_refusal(actor, case, field))
    if risk_level is not None:
        raise_if(
            case.panel.rules.low_risk_errors(
                risk_level=risk_level,
                indicators=case.latest_indicators(),
                ages=case.subject_ages(),
            )
        )
    with transaction.atomic():
        save_if_unchanged(case, expected_version=expected_version, fields=new)
        record_case_event(
            verb=verbs.CASE_UPDATED,
            actor=actor,
            case=case,
            summary="Case details updated",
            request=request,
            payload={"fields": changed, "version": case.version},
        )
    return case


def do_add_note(
    *, actor: User, case: Case, text: str, request: HttpRequest | None = None
) -> TimelineEntry:
    edit_check(actor, case, "note")
    if not text.strip():
        raise ServiceError({"text": "Enter the note"})
    entry = record_case_event(
        verb=verbs.NOTE_ADDED,
        actor=actor,
        case=case,
        summary=text.strip().splitlines()[0],
        detail=text,
        request=request,
    )
    assert entry is not None
    return entry


def do_raise_flag(
    *, actor: User, case: Case, kind: str, reason: str, request: HttpRequest | None = None
) -> CaseFlag:
    edit_check(actor, case, "flag")
    if not reason.strip():
        raise ServiceError({"reason": "Give the reason for the flag"})
    with transaction.atomic():
        flag = CaseFlag.objects.create(case=case, kind=kind, reason=reason, raised_by=actor)
        record_case_event(
            verb=verbs.FLAG_RAISED,
            actor=actor,
            case=case,
            source=flag,
            summary=f"Flag raised: {flag.get_kind_display()}",
            detail=reason,
            request=request,
            payload={"flag": kind},
        )
    return flag


def do_change_status(
    *,
    actor: User,
    case: Case,
    status: str,
    closure_outcome: str = "",
    reason: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Move a case along referred → accepted → active → review → closed (with an outcome), or
    reopen a closed one (back to active, with a reason): the panel co-ordinator's decisions.

    Refused (EditConflict) if the case was saved since EXPECTED_VERSION (default: CASE's).
    """
    reopening = not case.is_open
    edit_check(actor, case, "reopen" if reopening else "status")
    if status not in next_statuses(case):
        raise ServiceError({"status": "The case cannot move to that status from here"})
    if status == CaseStatus.CLOSED and not closure_outcome:
        raise ServiceError({"closure_outcome": "Choose the outcome at closure"})
    if reopening and not reason.strip():
        raise ServiceError({"reason": "Say why the case is being reopened"})
    now = timezone.now()
    fields: dict[str, Any] = {"status": status}
    if status == CaseStatus.CLOSED:
        fields.update(closed_at=now, closure_outcome=closure_outcome)
    if status == CaseStatus.ACTIVE and case.status in (CaseStatus.REVIEW, CaseStatus.CLOSED):
        fields["review_due"] = review_due(case.panel, now)
    if reopening:
        fields.update(closed_at=None, closure_outcome="")
    with transaction.atomic():
        previous = case.status
        # Reopening records the outcome the case had been closed with.
        payload = {
            "from": previous,
            "to": status,
            "outcome": case.closure_outcome if reopening else closure_outcome,
        }
        save_if_unchanged(case, expected_version=expected_version, fields=fields)
        record_case_event(
            verb=verbs.REOPENED if reopening else verbs.STATUS_CHANGED,
            actor=actor,
            case=case,
            detail=reason,
            summary="Case reopened"
            if reopening
            else f"Status changed to {CaseStatus(status).label.lower()}",
            request=request,
            payload=payload,
        )
    return case


def do_clear_flag(
    *,
    actor: User,
    flag: CaseFlag,
    reason: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseFlag:
    """Clear a flag with a reason; the flag and the reason stay on the case's timeline.

    Refused (EditConflict) if the flag was saved since EXPECTED_VERSION (default: FLAG's).
    """
    case = flag.case
    edit_check(actor, case, "clear_flag")
    if not reason.strip():
        raise ServiceError({"reason": "Give the reason for clearing the flag"})
    expected = flag.version if expected_version is None else expected_version
    with transaction.atomic():
        # Locked and re-read: two co-ordinators clearing at once record one clearance.
        locked = CaseFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.version == expected and locked.cleared_at is not None:
            raise ServiceError("This flag has already been cleared")
        save_if_unchanged(
            locked,
            expected_version=expected,
            fields={
                "cleared_at": timezone.now(),
                "cleared_by": actor,
                "cleared_reason": reason.strip(),
            },
        )
        record_case_event(
            verb=verbs.FLAG_CLEARED,
            actor=actor,
            case=case,
            source=locked,
            summary=f"Flag cleared: {locked.get_kind_display()}",
            detail=locked.cleared_reason,
            request=request,
            payload={"flag": locked.kind, "flag_id": str(locked.pk)},
        )
    flag.refresh_from_db()
    return flag
