"""Decision minutes (QA sign-off, issue, corrections), reconsiderations, the SCA audit and
follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.core.errors import ServiceError
from csphub.nrm import verbs
from csphub.nrm.choices import (
    AuditState,
    Outcome,
)
from csphub.nrm.models import (
    Decision,
    FollowUp,
    Minute,
    Reconsideration,
    Referral,
)
from csphub.nrm.selectors import may_sign_off
from csphub.nrm.services.intake import check_runs
from csphub.panels import services as panel_services

if TYPE_CHECKING:
    from csphub.accounts.models import User

REASONS_REQUIRED = "Give the reasons for a negative decision"


def _evidence(items: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    cleaned = [
        {"item": str(e.get("item", "")).strip(), "source": str(e.get("source", "")).strip()}
        for e in items
    ]
    return [e for e in cleaned if e["item"]]


def do_write_minute(
    *,
    actor: User,
    decision: Decision,
    evidence: Sequence[dict[str, Any]],
    credibility: str,
    trauma_informed: str,
    reasons: str,
    correction_note: str = "",
    request: HttpRequest | None = None,
) -> Minute:
    """Write the decision's minute: the draft, changed until it is issued (a change clears a
    sign-off), or, once a version is issued, a correction as the next version."""
    check_runs(actor, decision.referral)
    errors = {}
    items = _evidence(evidence)
    if not items or any(not e["source"] for e in items):
        errors["evidence"] = "List the evidence considered, each with its source agency"
    if not credibility.strip():
        errors["credibility"] = "Record the panel's view of credibility"
    if not trauma_informed.strip():
        errors["trauma_informed"] = "Record the trauma-informed considerations"
    if decision.outcome == Outcome.NEGATIVE and not reasons.strip():
        errors["reasons"] = REASONS_REQUIRED
    latest = decision.minutes.order_by("-version").first()
    correcting = latest is not None and latest.issued_at is not None
    if correcting and not correction_note.strip():
        errors["correction_note"] = "Say what the correction changes"
    if errors:
        raise ServiceError(errors)
    fields = {
        "evidence": items,
        "credibility": credibility.strip(),
        "trauma_informed": trauma_informed.strip(),
        "test_applied": decision.test_wording,
        "reasons": reasons.strip(),
        "correction_note": correction_note.strip() if correcting else "",
        "written_by": actor,
        "signed_off_by": None,
        "signed_off_at": None,
    }
    with transaction.atomic():
        if latest is None or correcting:
            version = 1 if latest is None else latest.version + 1
            minute = Minute.objects.create(decision=decision, version=version, **fields)
        else:
            minute = latest
            for name, value in fields.items():
                setattr(minute, name, value)
            minute.save()
        panel_services.record_case_event(
            verb=verbs.MINUTE_WRITTEN,
            actor=actor,
            case=decision.referral.case,
            summary=f"Minute of the {decision.get_kind_display()} decision, version {minute.version}",
            source=minute,
            target=minute,
            payload={"version": minute.version},
            request=request,
        )
    return minute


def do_sign_off_minute(
    *, actor: User, minute: Minute, request: HttpRequest | None = None
) -> Minute:
    """A second voting member (not the chair, not its writer) signs the minute off for quality."""
    if not may_sign_off(actor, minute):
        raise PermissionDenied(
            "A minute is signed off by a voting member of the panel other than its chair and writer."
        )
    with transaction.atomic():
        minute.signed_off_by = actor
        minute.signed_off_at = timezone.now()
        minute.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
        panel_services.record_case_event(
            verb=verbs.MINUTE_SIGNED_OFF,
            actor=actor,
            case=minute.decision.referral.case,
            summary=f"Minute version {minute.version} signed off",
            source=minute,
            target=minute,
            request=request,
        )
    return minute


def do_issue_minute(*, actor: User, minute: Minute, request: HttpRequest | None = None) -> Minute:
    """Issue a signed-off minute: from then on it never changes."""
    check_runs(actor, minute.decision.referral)
    if minute.issued_at is not None:
        raise ServiceError("This minute has already been issued")
    if minute.signed_off_at is None:
        raise ServiceError("A second voting member must sign the minute off before it is issued")
    with transaction.atomic():
        minute.issued_at = timezone.now()
        minute.save(update_fields=["issued_at", "updated_at"])
        panel_services.record_case_event(
            verb=verbs.MINUTE_ISSUED,
            actor=actor,
            case=minute.decision.referral.case,
            summary=f"Minute version {minute.version} issued",
            source=minute,
            target=minute,
            request=request,
        )
    return minute


def do_request_reconsideration(
    *,
    actor: User,
    decision: Decision,
    requested_by: str,
    requested_on: date,
    grounds: str,
    request: HttpRequest | None = None,
) -> Reconsideration:
    """Record a request to reconsider DECISION; the panel's new decision is recorded against it."""
    check_runs(actor, decision.referral)
    if not grounds.strip():
        raise ServiceError({"grounds": "Give the grounds for the request"})
    if requested_on < decision.decided_on:
        raise ServiceError({"requested_on": "A request follows the decision"})
    with transaction.atomic():
        asked = Reconsideration.objects.create(
            decision=decision,
            requested_by=requested_by,
            requested_on=requested_on,
            grounds=grounds.strip(),
            recorded_by=actor,
        )
        panel_services.record_case_event(
            verb=verbs.RECONSIDERATION_REQUESTED,
            actor=actor,
            case=decision.referral.case,
            summary=f"Reconsideration of the {decision.get_kind_display()} decision asked for",
            source=asked,
            target=asked,
            request=request,
        )
    return asked


def do_update_audit(
    *,
    actor: User,
    decision: Decision,
    state: str,
    comments: str,
    on: date,
    request: HttpRequest | None = None,
) -> Decision:
    """Record where the SCA's audit of DECISION stands, with the auditor's comments."""
    check_runs(actor, decision.referral)
    if state not in AuditState.values:
        raise ServiceError({"state": "Choose the audit's state"})
    if state in (AuditState.QUERY, AuditState.CHANGED) and not comments.strip():
        raise ServiceError({"comments": "Record the auditor's comments"})
    with transaction.atomic():
        decision.audit_state = state
        decision.audit_comments = comments.strip()
        decision.audit_updated_on = on
        decision.save(
            update_fields=["audit_state", "audit_comments", "audit_updated_on", "updated_at"]
        )
        panel_services.record_case_event(
            verb=verbs.AUDIT_UPDATED,
            actor=actor,
            case=decision.referral.case,
            summary=f"SCA audit: {decision.get_audit_state_display()}",
            source=decision,
            target=decision,
            payload={"state": state},
            request=request,
        )
    return decision


def do_record_follow_up(
    *,
    actor: User,
    referral: Referral,
    months: int,
    support_offered: str,
    missing_episodes: int,
    re_referred: bool,
    crest_status: str,
    vip_status: str,
    request: HttpRequest | None = None,
) -> FollowUp:
    """Record (or correct) what happened 3 or 6 months after the decision."""
    check_runs(actor, referral)
    if months not in (3, 6):
        raise ServiceError({"months": "Follow-ups are at 3 and 6 months"})
    with transaction.atomic():
        follow_up, _ = FollowUp.objects.update_or_create(
            referral=referral,
            months=months,
            defaults={
                "support_offered": support_offered.strip(),
                "missing_episodes": missing_episodes,
                "re_referred": re_referred,
                "crest_status": crest_status,
                "vip_status": vip_status,
                "recorded_by": actor,
            },
        )
        panel_services.record_case_event(
            verb=verbs.FOLLOW_UP_RECORDED,
            actor=actor,
            case=referral.case,
            summary=f"{months}-month follow-up recorded",
            source=follow_up,
            target=follow_up,
            payload={"months": months},
            request=request,
        )
    return follow_up
