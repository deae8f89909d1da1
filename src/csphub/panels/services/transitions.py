"""A case changing hands: escalation to another panel, transfer to another agency, and the
decision on every pending transition (a referral's too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.audit import record
from csphub.core.concurrency import EditConflict, save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.panels import notices, verbs
from csphub.panels.choices import (
    CaseStatus,
    ClosureOutcome,
    PanelDecision,
    TransitionKind,
    TransitionStatus,
)
from csphub.panels.models import Case, Panel, Transition
from csphub.panels.selectors import may_decide, may_withdraw
from csphub.panels.services.common import edit_check, indicator_scores, raise_if, review_due
from csphub.panels.services.timeline import record_case_event
from csphub.people.models import Person

if TYPE_CHECKING:
    from csphub.accounts.models import User


def _destination(transition: Transition) -> dict[str, str]:
    """The panel and agency a transition went to, by name, for the event's label."""
    return {
        "panel": transition.to_panel.name if transition.to_panel else "",
        "agency": transition.to_agency.name if transition.to_agency else "",
    }


def record_transition(
    *, actor: User, case: Case, kind: str, request: HttpRequest | None, **fields: Any
) -> Transition:
    """Create a pending transition, its timeline entry and its audit events (override too)."""
    transition = Transition.objects.create(case=case, kind=kind, made_by=actor, **fields)
    label = TransitionKind(kind).label
    target = transition.to_panel or transition.to_agency
    record_case_event(
        verb=verbs.TRANSITION_MADE[TransitionKind(kind)],
        actor=actor,
        case=case,
        source=transition,
        summary=f"{label} to {target}",
        detail=transition.reason,
        request=request,
        payload={
            "transition": str(transition.pk),
            "kind": kind,
            "status": transition.status,
            "consent": transition.consent_given,
            "risk_level": transition.risk_level,
            **_destination(transition),
        },
    )
    notices.transition_made(transition, actor=actor)
    if transition.is_consent_override:
        # The override is its own event so the DPO can list every one of them.
        record(
            verb=verbs.CONSENT_OVERRIDDEN,
            actor=actor,
            target=transition,
            request=request,
            payload={"case": str(case.pk), "lawful_basis": transition.lawful_basis},
        )
    return transition


def do_escalate_case(
    *,
    actor: User,
    case: Case,
    to_panel: Panel,
    reason_category: str,
    reason: str,
    consent_given: bool | None,
    lawful_basis: str = "",
    override_reason: str = "",
    risk_level: str,
    indicators: dict[str, int] | None = None,
    request: HttpRequest | None = None,
) -> Transition:
    """Ask another panel to take the case (ASB CMP to CREST or VIP); the case keeps its history."""
    edit_check(actor, case, "status")
    if to_panel.pk == case.panel_id or not case.is_open:
        raise ServiceError("Choose a different panel for an open case")
    if case.transitions.filter(status=TransitionStatus.PENDING).exists():
        raise ServiceError("This case already has a referral waiting for a decision")
    case.panel.rules.check_makes(PanelDecision.ESCALATE)
    rules = to_panel.rules
    rules.check_makes(PanelDecision.ACCEPT, field="to_panel")
    scores = rules.screened(indicator_scores(indicators))
    consent: dict[str, Any] = {
        "consent_given": consent_given,
        "lawful_basis": lawful_basis,
        "override_reason": override_reason,
    }
    raise_if(rules.consent_errors(**consent))
    # Every person on the case counts, not only the first one linked.
    raise_if(
        rules.screen_errors(indicators=scores, risk_level=risk_level, ages=case.subject_ages())
    )
    with transaction.atomic():
        return record_transition(
            actor=actor,
            case=case,
            kind=TransitionKind.ESCALATION,
            request=request,
            from_panel=case.panel,
            to_panel=to_panel,
            from_agency=case.owning_agency,
            to_agency=case.owning_agency,
            reason_category=reason_category,
            reason=reason,
            **rules.consent_fields(**consent),
            risk_level=risk_level,
            indicators=scores,
        )


def do_transfer_case(
    *,
    actor: User,
    case: Case,
    to_agency: Agency,
    reason: str,
    consent_given: bool | None,
    lawful_basis: str = "",
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> Transition:
    """Hand ownership of a case to another agency (it accepts or rejects)."""
    edit_check(actor, case, "status")
    if to_agency.pk == case.owning_agency_id:
        raise ServiceError("The case is already owned by that agency")
    # A transfer keeps the case on its panel, so that panel's rules say whether it needs consent.
    rules = case.panel.rules
    rules.check_makes(PanelDecision.TRANSFER)
    consent: dict[str, Any] = {
        "consent_given": consent_given,
        "lawful_basis": lawful_basis,
        "override_reason": override_reason,
    }
    raise_if(rules.consent_errors(**consent))
    with transaction.atomic():
        return record_transition(
            actor=actor,
            case=case,
            kind=TransitionKind.TRANSFER,
            request=request,
            from_panel=case.panel,
            to_panel=case.panel,
            from_agency=case.owning_agency,
            to_agency=to_agency,
            reason=reason,
            **rules.consent_fields(**consent),
            risk_level=case.risk_level,
        )


class TransitionAlreadyDecided(EditConflict):
    """Someone else decided (or withdrew) the transition after it was opened."""

    def __init__(self, transition: Transition) -> None:
        super().__init__(current_version=0)
        kind = TransitionKind(transition.kind).label.lower()
        status = TransitionStatus(transition.status).label.lower()
        self.message = (
            f"This {kind} has already been {status} by someone else, "
            "so your decision was not recorded."
        )
        self.args = (self.message,)


def _screen_on_entry(transition: Transition) -> None:
    """A case only enters a risk-screen panel at a risk the screen allows, judged on the people
    on the case when it is accepted (someone may have been added since it was made)."""
    panel = transition.to_panel
    if transition.kind == TransitionKind.TRANSFER or panel is None:
        return
    errors = panel.rules.low_risk_errors(
        risk_level=transition.risk_level,
        indicators=transition.indicators or transition.case.latest_indicators(),
        ages=transition.case.subject_ages(),
    )
    if errors:
        raise ServiceError(
            {
                "decision": f"{errors['risk_level']}: reject it and ask for a new "
                f"{TransitionKind(transition.kind).label.lower()} at the right risk level"
            }
        )


def do_decide_transition(
    *,
    actor: User,
    transition: Transition,
    decision: str,
    reason: str = "",
    same_as: Person | None = None,
    request: HttpRequest | None = None,
) -> Transition:
    """Accept, reject (with a reason) or withdraw a pending transition, and apply it to the case.

    A referral about someone who may already be known (`referral_matches_for`) is accepted
    either as about one of those records, SAME_AS (the referral's own record is merged into
    it, so the case is about that person), or, with SAME_AS None, as about a new person; the
    answer is audited by references. Nothing is linked on a rejection or a withdrawal.
    """
    from csphub.panels.matching import referral_matches_for, referral_record

    if decision == TransitionStatus.WITHDRAWN:
        if not may_withdraw(actor, transition):
            raise PermissionDenied
    elif decision in (TransitionStatus.ACCEPTED, TransitionStatus.REJECTED):
        if not may_decide(actor, transition):
            raise PermissionDenied
    else:
        raise ServiceError("Unknown decision")
    if decision != TransitionStatus.WITHDRAWN and transition.to_panel is not None:
        # The receiving panel's rules say whether it makes this decision at all; a transfer
        # between agencies is decided as one of the panel's transfers.
        if transition.kind == TransitionKind.TRANSFER:
            needed = PanelDecision.TRANSFER
        elif decision == TransitionStatus.ACCEPTED:
            needed = PanelDecision.ACCEPT
        else:
            needed = PanelDecision.REJECT
        transition.to_panel.rules.check_makes(needed, field="decision")
    if decision == TransitionStatus.REJECTED and not reason.strip():
        raise ServiceError({"reason": "Give the reason for rejecting"})
    matches: list[Person] = []
    if decision == TransitionStatus.ACCEPTED and transition.kind == TransitionKind.REFERRAL:
        matches = referral_matches_for(actor, transition)
    if same_as is not None and same_as.pk not in {p.pk for p in matches}:
        raise ServiceError({"match": "Choose one of the records offered, or a new person"})
    if decision == TransitionStatus.ACCEPTED:
        _screen_on_entry(transition)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=transition.case_id)
        decided = {
            "status": decision,
            "decided_by": actor,
            "decided_at": now,
            "decision_reason": reason,
        }
        # Only a transition still pending is decided, in one conditional update: an accept and
        # a reject at the same moment cannot both succeed, whatever the database's locking.
        if not Transition.objects.filter(pk=transition.pk, status=TransitionStatus.PENDING).update(
            **decided, updated_at=now
        ):
            raise TransitionAlreadyDecided(Transition.objects.get(pk=transition.pk))
        for name, value in decided.items():
            setattr(transition, name, value)
        transition.updated_at = now
        fields: dict[str, Any] = {}
        if decision == TransitionStatus.ACCEPTED:
            if transition.kind == TransitionKind.TRANSFER:
                fields = {"owning_agency": transition.to_agency}
            else:
                panel = transition.to_panel
                assert panel is not None
                fields = {
                    "panel": panel,
                    "status": CaseStatus.ACCEPTED,
                    "accepted_at": now,
                    "review_due": review_due(panel, now),
                    "risk_level": transition.risk_level,
                }
        elif transition.kind == TransitionKind.REFERRAL:
            # A referral that is not taken up closes the case it opened.
            outcome = (
                ClosureOutcome.NOT_ACCEPTED
                if decision == TransitionStatus.REJECTED
                else ClosureOutcome.WITHDRAWN
            )
            fields = {"status": CaseStatus.CLOSED, "closed_at": now, "closure_outcome": outcome}
        if fields:
            save_if_unchanged(case, expected_version=case.version, fields=fields)
        label = TransitionStatus(decision).label.lower()
        record_case_event(
            verb=verbs.TRANSITION_DECIDED[
                TransitionKind(transition.kind), TransitionStatus(decision)
            ],
            actor=actor,
            case=case,
            source=transition,
            summary=f"{TransitionKind(transition.kind).label} {label}",
            detail=reason,
            request=request,
            payload={
                "transition": str(transition.pk),
                "kind": transition.kind,
                "status": decision,
                **_destination(transition),
            },
        )
        notices.transition_decided(transition, actor=actor)
        if matches:
            _resolve_match(
                actor=actor,
                case=case,
                transition=transition,
                matches=matches,
                own=referral_record(transition),
                same_as=same_as,
                request=request,
            )
    return transition


def _resolve_match(
    *,
    actor: User,
    case: Case,
    transition: Transition,
    matches: list[Person],
    own: Person | None,
    same_as: Person | None,
    request: HttpRequest | None,
) -> None:
    """Record the co-ordinator's answer to "is this someone already known?" on accepting a
    referral and, for a yes, fold the referral's own record into the known one."""
    from csphub.people.services import fold_records

    assert own is not None  # matches are found from the referral's own record
    if same_as is not None:
        fold_records(
            actor=actor,
            surviving=same_as,
            merged=own,
            reason=f"Referral {case.reference} accepted as about {same_as.reference}.",
            request=request,
        )
    record_case_event(
        verb=verbs.REFERRAL_MATCH_RESOLVED,
        actor=actor,
        case=case,
        source=transition,
        # Only a referral joined to a known record changes what the case shows.
        on_timeline=same_as is not None,
        summary=f"Referral joined to {same_as.reference}, a record already known"
        if same_as is not None
        else "",
        request=request,
        payload={
            "transition": str(transition.pk),
            "matches": sorted(p.reference for p in matches),
            "same_as": same_as.reference if same_as else "",
            "referred": own.reference,
        },
    )
