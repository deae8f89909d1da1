"""A child referred to the NRM panel, the panel's seats, and taking a referral on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.audit import record
from csphub.core.errors import ServiceError
from csphub.nrm import eligibility, verbs
from csphub.nrm.choices import (
    ExploitationType,
    Routing,
    Seat,
)
from csphub.nrm.models import (
    NrmSettings,
    PanelSeat,
    Referral,
)
from csphub.nrm.selectors import nrm_panels, runs
from csphub.panels import services as panel_services
from csphub.panels.choices import (
    ReferralReason,
    RiskLevel,
    SubjectRole,
    TransitionKind,
    TransitionStatus,
)
from csphub.panels.models import Case, Panel, PanelMembership
from csphub.panels.selectors import cases_visible_to, coordinates, may_refer

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_set_seat(
    *, actor: User, membership: PanelMembership, seat: str, request: HttpRequest | None = None
) -> PanelSeat:
    """Give a member of an NRM panel their seat (voting, the guardian's, or advisory)."""
    if not (
        actor.has_perm("nrm.run_nrm")
        and nrm_panels().filter(pk=membership.panel_id).exists()
        and coordinates(actor, membership.panel)
    ):
        raise PermissionDenied("Only the NRM panel's co-ordinator sets its seats.")
    if seat not in Seat.values:
        raise ServiceError({"seat": "Choose a seat from the list"})
    with transaction.atomic():
        placed, _ = PanelSeat.objects.update_or_create(
            membership=membership, defaults={"seat": seat}
        )
        record(
            verb=verbs.SEAT_SET,
            actor=actor,
            target=membership,
            payload={"seat": seat, "panel": str(membership.panel_id)},
            request=request,
        )
    return placed


def do_refer_child(
    *,
    actor: User,
    panel: Panel,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    gender: str,
    nationality: str,
    first_responder_type: str,
    first_responder_officer: str,
    received_on: date,
    exploitation_types: Sequence[str],
    exploited_where: str,
    county_lines: bool = False,
    age_at_exploitation: int | None = None,
    age_disputed: bool = False,
    public_order_consideration: bool = False,
    summary: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """A first responder refers a child: a new person record, a case on the NRM panel held by
    the panel's agency (no consent asked: the panel's rules need none), and the intake with
    its eligibility and routing worked out from the dates."""
    from csphub.people.services import do_create_person

    if not (actor.has_perm("nrm.refer_nrm") and may_refer(actor)):
        raise PermissionDenied("Only a first responder refers a child to the NRM panel.")
    settings = NrmSettings.objects.filter(panel=panel).select_related("holding_agency").first()
    if settings is None:
        raise ServiceError({"panel": "That panel does not decide NRM referrals"})
    types = list(dict.fromkeys(exploitation_types))
    if not types or set(types) - set(ExploitationType.values):
        raise ServiceError({"exploitation_types": "Choose at least one type of exploitation"})
    if county_lines and ExploitationType.CRIMINAL not in types:
        raise ServiceError({"county_lines": "County lines is criminal exploitation: choose it too"})
    if date_of_birth > received_on:
        raise ServiceError({"date_of_birth": "The date of birth must be before the referral"})
    result = eligibility.check(
        date_of_birth=date_of_birth,
        received_on=received_on,
        age_disputed=age_disputed,
        public_order=public_order_consideration,
    )
    with transaction.atomic():
        child = do_create_person(
            actor=actor,
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            gender=gender if gender in ("male", "female") else "not_known",
            request=request,
        )
        case = panel_services.do_refer(
            actor=actor,
            panel=panel,
            owning_agency=settings.holding_agency,
            person=child,
            role=SubjectRole.VICTIM,
            reason_category=(
                ReferralReason.COUNTY_LINES
                if county_lines
                else ReferralReason.CRIMINAL_EXPLOITATION
                if ExploitationType.CRIMINAL in types
                else ReferralReason.SEXUAL_EXPLOITATION
                if ExploitationType.SEXUAL in types
                else ReferralReason.OTHER
            ),
            reason=summary.strip() or "NRM referral of a child",
            consent_given=None,
            risk_level=RiskLevel.HIGH,
            request=request,
        )
        referral = Referral(
            case=case,
            child=child,
            referred_by=actor,
            first_responder_agency=actor.agency,
            first_responder_type=first_responder_type,
            first_responder_officer=first_responder_officer.strip(),
            received_on=received_on,
            age_at_exploitation=age_at_exploitation,
            gender=gender,
            nationality=nationality.strip(),
            exploitation_types=types,
            county_lines=county_lines,
            exploited_where=exploited_where,
            age_disputed=age_disputed,
            public_order_consideration=public_order_consideration,
            eligible=result.eligible,
            routing=result.routing,
            routing_reason=result.reason,
        )
        referral.save()
        panel_services.record_case_event(
            verb=verbs.REFERRAL_RECEIVED,
            actor=actor,
            case=case,
            summary=f"NRM referral {referral.reference} received",
            source=referral,
            target=referral,
            payload={"routing": result.routing, "eligible": result.eligible},
            request=request,
        )
    return referral


def do_take_on(*, actor: User, referral: Referral, request: HttpRequest | None = None) -> Case:
    """The co-ordinator takes a referral on: an eligible one is accepted by the panel; one
    routed to the SCA is declined with its routing as the reason, and stays on file."""
    check_runs(actor, referral)
    pending = referral.case.transitions.filter(
        kind=TransitionKind.REFERRAL, status=TransitionStatus.PENDING
    ).first()
    if pending is None:
        raise ServiceError("This referral has already been taken on")
    if referral.routing == Routing.PANEL:
        panel_services.do_decide_transition(
            actor=actor, transition=pending, decision=TransitionStatus.ACCEPTED, request=request
        )
    else:
        panel_services.do_decide_transition(
            actor=actor,
            transition=pending,
            decision=TransitionStatus.REJECTED,
            reason=f"Routed to the Single Competent Authority: {referral.routing_reason}",
            request=request,
        )
    referral.case.refresh_from_db()
    return referral.case


def do_update_referral(
    *,
    actor: User,
    referral: Referral,
    allocated_social_worker: User | None,
    crest_case_reference: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """The co-ordinator records the child's allocated social worker and links the child's
    CREST case (one the co-ordinator may open), if any."""
    check_runs(actor, referral)
    crest = None
    if crest_case_reference.strip():
        crest = (
            cases_visible_to(actor)
            .exclude(panel=referral.case.panel)
            .filter(reference=crest_case_reference.strip().upper())
            .first()
        )
        if crest is None:
            raise ServiceError({"crest_case_reference": "No case you can see has that reference"})
    with transaction.atomic():
        referral.allocated_social_worker = allocated_social_worker
        referral.crest_case = crest
        referral.save(update_fields=["allocated_social_worker", "crest_case", "updated_at"])
        record(
            verb=verbs.SETTINGS_CHANGED,
            actor=actor,
            target=referral,
            payload={"crest_case": str(crest.pk) if crest else ""},
            request=request,
        )
    return referral


def check_runs(actor: User, referral: Referral) -> None:
    if not runs(actor, referral):
        raise PermissionDenied("Only the NRM panel's co-ordinator can do this.")
