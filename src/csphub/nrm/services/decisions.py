"""Reasonable and Conclusive Grounds decisions, with attendance, votes and the test wording."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest

from csphub.core.errors import ServiceError
from csphub.meetings.models import Meeting
from csphub.nrm import verbs, wording
from csphub.nrm.choices import (
    VOTING_SEATS,
    DecisionKind,
    Outcome,
    Routing,
    Seat,
    Vote,
)
from csphub.nrm.models import (
    Attendance,
    Decision,
    NrmSettings,
    Reconsideration,
    Referral,
)
from csphub.nrm.selectors import seat_of
from csphub.nrm.services.intake import check_runs
from csphub.panels import services as panel_services

if TYPE_CHECKING:
    from csphub.accounts.models import User

CHAIR_IS_SOCIAL_WORKER = (
    "The chair cannot be the child's allocated social worker: choose another chair"
)


ICTG_REQUIRED = "The Independent Child Trafficking Guardian must be at the decision"


NOT_THIS_REFERRAL = "That request for reconsideration is not about this referral's decisions"
ALREADY_ANSWERED = "That request for reconsideration already has its decision"
OTHER_KIND = "A reconsideration is answered by a decision of the kind it asks to reconsider"


def reconsideration_errors(
    referral: Referral, kind: str, reconsideration: Reconsideration | None
) -> list[str]:
    """Why RECONSIDERATION cannot be answered by a KIND decision on REFERRAL (none: it can)."""
    if reconsideration is None:
        return []
    if reconsideration.decision.referral_id != referral.pk:
        return [NOT_THIS_REFERRAL]
    if Decision.objects.filter(reconsideration=reconsideration).exists():
        return [ALREADY_ANSWERED]
    if reconsideration.decision.kind != kind:
        return [OTHER_KIND]
    return []


CG_NEEDS_POSITIVE_RG = "A Conclusive Grounds decision follows a positive Reasonable Grounds one"


def _majority(votes: Sequence[str]) -> str | None:
    count = Counter(votes)
    if count[Vote.POSITIVE] > count[Vote.NEGATIVE]:
        return Outcome.POSITIVE
    if count[Vote.NEGATIVE] > count[Vote.POSITIVE]:
        return Outcome.NEGATIVE
    return None


def decision_checks(
    *,
    referral: Referral,
    kind: str,
    meeting: Meeting,
    decided_on: date,
    outcome: str,
    chair: User,
    votes: dict[User, str],
    same_meeting_rg: bool = False,
) -> tuple[list[str], str]:
    """The refusals and the warning for a decision, without recording it: (errors, warning).

    VOTES maps each member present to their vote ('' for a member without a vote)."""
    errors: list[str] = []
    panel = referral.case.panel
    if meeting.panel_id != panel.pk:
        errors.append("The meeting must be one of the NRM panel's")
    if referral.routing != Routing.PANEL or referral.case.accepted_at is None:
        errors.append("Only a referral the panel has taken on is decided here")
    if referral.allocated_social_worker_id and chair.pk == referral.allocated_social_worker_id:
        errors.append(CHAIR_IS_SOCIAL_WORKER)
    if chair not in votes:
        errors.append("The chair must be among those present")
    seats = {user: seat_of(user, panel) for user in votes}
    if any(not seat for seat in seats.values()):
        errors.append("Everyone present must hold a seat on the panel")
    errors.extend(panel.rules.quorum_errors(seats.values(), dict(Seat.choices)))
    if Seat.ICTG not in seats.values():
        errors.append(ICTG_REQUIRED)
    voting = [votes[u] for u, s in seats.items() if s in VOTING_SEATS]
    if any(v not in Vote.values for v in voting):
        errors.append("Record the vote of every voting member present")
    if any(votes[u] for u, s in seats.items() if s not in VOTING_SEATS):
        errors.append("Only members on a voting seat vote")
    majority = _majority(voting)
    if not errors and majority is None:
        errors.append("The votes are tied: no decision can be recorded")
    elif not errors and majority != outcome:
        errors.append("The outcome must be the one the majority voted for")
    warning = ""
    if kind == DecisionKind.CG:
        rg = referral.decision(DecisionKind.RG)
        if not same_meeting_rg and (rg is None or rg.outcome != Outcome.POSITIVE):
            errors.append(CG_NEEDS_POSITIVE_RG)
        elif rg is not None and not same_meeting_rg and rg.meeting_id != meeting.pk:
            days = (decided_on - rg.decided_on).days
            limit = NrmSettings.objects.get(panel=panel).cg_warning_days
            if days < limit:
                warning = (
                    f"This Conclusive Grounds decision is {days} days after the positive "
                    f"Reasonable Grounds decision, sooner than {limit} days"
                )
    return errors, warning


def do_record_decision(
    *,
    actor: User,
    referral: Referral,
    kind: str,
    meeting: Meeting,
    decided_on: date,
    outcome: str,
    chair: User,
    votes: dict[User, str],
    accept_warning: bool = False,
    reconsideration: Reconsideration | None = None,
    same_meeting_rg: bool = False,
    request: HttpRequest | None = None,
) -> Decision:
    """Record a Reasonable or Conclusive Grounds decision at MEETING with who was there and
    their votes, and the test wording in force on DECIDED_ON. A CG soon after the RG is
    refused until ACCEPT_WARNING says the warning was seen; it is then stored with it."""
    check_runs(actor, referral)
    if kind not in DecisionKind.values or outcome not in Outcome.values:
        raise ServiceError("Choose the decision and its outcome")
    errors, warning = decision_checks(
        referral=referral,
        kind=kind,
        meeting=meeting,
        decided_on=decided_on,
        outcome=outcome,
        chair=chair,
        votes=votes,
        same_meeting_rg=same_meeting_rg,
    )
    errors += reconsideration_errors(referral, kind, reconsideration)
    if errors:
        raise ServiceError(errors)
    if warning and not accept_warning:
        raise ServiceError({"accept_warning": warning})
    test = wording.in_force(kind, decided_on)
    panel = referral.case.panel
    with transaction.atomic():
        decision = Decision.objects.create(
            referral=referral,
            kind=kind,
            meeting=meeting,
            decided_on=decided_on,
            outcome=outcome,
            chair=chair,
            test_version=test.version,
            test_wording=test.wording,
            warning=warning,
            reconsideration=reconsideration,
            recorded_by=actor,
        )
        Attendance.objects.bulk_create(
            Attendance(decision=decision, member=u, seat=seat_of(u, panel), vote=v)
            for u, v in votes.items()
        )
        panel_services.record_case_event(
            verb=verbs.DECISION_RECORDED,
            actor=actor,
            case=referral.case,
            summary=f"{decision.get_kind_display()} decision: {decision.get_outcome_display()}",
            source=decision,
            target=decision,
            payload={"kind": kind, "outcome": outcome, "meeting": str(meeting.pk)},
            request=request,
        )
    return decision


def do_record_rg_and_cg(
    *,
    actor: User,
    referral: Referral,
    meeting: Meeting,
    decided_on: date,
    cg_outcome: str,
    chair: User,
    rg_votes: dict[User, str],
    cg_votes: dict[User, str],
    reconsideration: Reconsideration | None = None,
    request: HttpRequest | None = None,
) -> tuple[Decision, Decision]:
    """A positive RG and the CG made at the same meeting: one outcome, two decisions. A
    RECONSIDERATION is answered by the one of the two of its decision's kind."""
    asked = reconsideration.decision.kind if reconsideration is not None else None
    with transaction.atomic():
        rg = do_record_decision(
            actor=actor,
            referral=referral,
            kind=DecisionKind.RG,
            meeting=meeting,
            decided_on=decided_on,
            outcome=Outcome.POSITIVE,
            chair=chair,
            votes=rg_votes,
            reconsideration=reconsideration if asked == DecisionKind.RG else None,
            request=request,
        )
        cg = do_record_decision(
            actor=actor,
            referral=referral,
            kind=DecisionKind.CG,
            meeting=meeting,
            decided_on=decided_on,
            outcome=cg_outcome,
            chair=chair,
            votes=cg_votes,
            reconsideration=reconsideration if asked == DecisionKind.CG else None,
            request=request,
        )
    return rg, cg
