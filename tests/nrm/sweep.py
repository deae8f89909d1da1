"""The NRM records and service calls the sweeps over every URL and every service use (added to
their partnership by tests/core/test_every_service_refuses_an_outsider.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.meetings import services as meeting_services
from csphub.nrm import services
from csphub.nrm.choices import DEFAULT_QUORUM, Seat, Vote
from csphub.nrm.models import Comparator, NrmSettings
from csphub.panels.choices import MembershipRole
from tests.factories import AgencyFactory, MembershipFactory, PanelFactory
from tests.nrm.conftest import at

CHILD_NAME = "Tobiah"


def add_nrm(p: SimpleNamespace, make_user: Callable[..., Any]) -> None:
    """An NRM panel with its seats, a referral taken on with a positive RG and a draft minute,
    and a second referral awaiting the co-ordinator."""
    health = AgencyFactory(name="NHS Trust", kind="health")
    guardians = AgencyFactory(name="Guardianship Service", kind="voluntary_sector")
    panel = PanelFactory(
        slug="nrm",
        name="Children's NRM Panel",
        consent_required=False,
        quorum=DEFAULT_QUORUM,
        owning_agency_sees_cases=False,
    )
    NrmSettings.objects.create(panel=panel, holding_agency=p.council)
    p.nrm_panel = panel
    p.nrm_coordinator = make_user(COORDINATOR, agency=p.council)
    p.nrm_social_care = make_user(PRACTITIONER, agency=p.childrens)
    p.nrm_police = make_user(PRACTITIONER, agency=p.police)
    p.nrm_health = make_user(PRACTITIONER, agency=health)
    p.nrm_ictg = make_user(PRACTITIONER, agency=guardians)
    p.nrm_responder = make_user(PRACTITIONER, agency=p.police)
    MembershipFactory(panel=panel, user=p.nrm_coordinator, role=MembershipRole.COORDINATOR)
    for user, seat in [
        (p.nrm_social_care, Seat.SOCIAL_CARE),
        (p.nrm_police, Seat.POLICE),
        (p.nrm_health, Seat.HEALTH),
        (p.nrm_ictg, Seat.ICTG),
    ]:
        services.do_set_seat(
            actor=p.nrm_coordinator, membership=MembershipFactory(panel=panel, user=user), seat=seat
        )
    p.nrm_membership = panel.memberships.get(user=p.nrm_ictg)
    p.nrm_meeting = meeting_services.do_schedule_meeting(
        actor=p.nrm_coordinator, panel=panel, scheduled_for=at(date(2025, 3, 11))
    )
    p.nrm_referral = refer(p, CHILD_NAME, date(2025, 3, 3))
    services.do_take_on(actor=p.nrm_coordinator, referral=p.nrm_referral)
    p.nrm_referral.refresh_from_db()
    p.nrm_pending = refer(p, "Waiting", date(2025, 3, 5))
    p.nrm_decision = services.do_record_decision(
        actor=p.nrm_coordinator,
        referral=p.nrm_referral,
        kind="rg",
        meeting=p.nrm_meeting,
        decided_on=date(2025, 3, 11),
        outcome="positive",
        chair=p.nrm_police,
        votes=votes(p),
    )
    p.nrm_comparator = Comparator.objects.create(
        label="SCA, Q3 2020", measure="cg", days=344, definition="Average.", source="Home Office"
    )
    p.nrm_minute = services.do_write_minute(
        actor=p.nrm_coordinator, decision=p.nrm_decision, **MINUTE
    )


MINUTE = {
    "evidence": [{"item": "Referral form", "source": "Met Police"}],
    "credibility": "Consistent.",
    "trauma_informed": "Considered.",
    "reasons": "",
}


def refer(p: SimpleNamespace, given_name: str, received_on: date) -> Any:
    return services.do_refer_child(
        actor=p.nrm_responder, panel=p.nrm_panel, **child(given_name, received_on)
    )


def child(given_name: str, received_on: date) -> dict[str, Any]:
    return {
        "given_name": given_name,
        "family_name": "Nrmchild",
        "date_of_birth": date(2009, 6, 1),
        "gender": "male",
        "nationality": "British",
        "first_responder_type": "police",
        "first_responder_officer": "PC Responder",
        "received_on": received_on,
        "exploitation_types": ["criminal"],
        "county_lines": True,
        "exploited_where": "uk",
    }


def votes(p: SimpleNamespace) -> dict[Any, str]:
    return {
        p.nrm_social_care: Vote.POSITIVE,
        p.nrm_police: Vote.POSITIVE,
        p.nrm_health: Vote.POSITIVE,
        p.nrm_ictg: "",
    }


def _cg_meeting(p: SimpleNamespace) -> dict[str, Any]:
    meeting = meeting_services.do_schedule_meeting(
        actor=p.nrm_coordinator, panel=p.nrm_panel, scheduled_for=at(date(2025, 4, 15))
    )
    return {
        "referral": p.nrm_referral,
        "kind": "cg",
        "meeting": meeting,
        "decided_on": date(2025, 4, 15),
        "outcome": "positive",
        "chair": p.nrm_police,
        "votes": votes(p),
    }


def _signed_off(p: SimpleNamespace) -> dict[str, Any]:
    services.do_sign_off_minute(actor=p.nrm_health, minute=p.nrm_minute)
    return {"minute": p.nrm_minute}


def calls(call: Callable[..., Any]) -> dict[str, Any]:
    """The sweep's Call for every NRM service: the NRM co-ordinator (or a voting member, or a
    first responder) may make it; an unrelated practitioner and an anonymous visitor may not."""
    run = "nrm_coordinator"
    return {
        "nrm.do_set_seat": call(
            lambda p: {"membership": p.nrm_membership, "seat": Seat.ADVISORY}, allowed=run
        ),
        "nrm.do_refer_child": call(
            lambda p: {"panel": p.nrm_panel, **child("Newchild", date(2025, 3, 6))},
            allowed="nrm_responder",
            refused=("executive", "unattached", "anonymous"),
            why="every practitioner may refer a child as a first responder (the case is held by "
            "the panel's agency and seen by its members only), so the one refused is a "
            "signed-in user whose role does not refer",
        ),
        "nrm.do_take_on": call(lambda p: {"referral": p.nrm_pending}, allowed=run),
        "nrm.do_update_referral": call(
            lambda p: {"referral": p.nrm_referral, "allocated_social_worker": p.nrm_social_care},
            allowed=run,
        ),
        "nrm.do_record_decision": call(_cg_meeting, allowed=run),
        "nrm.do_record_rg_and_cg": call(
            lambda p: {
                "referral": _taken_on(p),
                "meeting": p.nrm_meeting,
                "decided_on": date(2025, 3, 11),
                "cg_outcome": "positive",
                "chair": p.nrm_police,
                "rg_votes": votes(p),
                "cg_votes": votes(p),
            },
            allowed=run,
        ),
        "nrm.do_write_minute": call(
            lambda p: {"decision": p.nrm_decision, **MINUTE, "credibility": "Reworded."},
            allowed=run,
        ),
        "nrm.do_sign_off_minute": call(
            lambda p: {"minute": p.nrm_minute},
            allowed="nrm_health",
            refused=("outsider", "anonymous", "nrm_police", "nrm_ictg", "nrm_coordinator"),
        ),
        "nrm.do_issue_minute": call(_signed_off, allowed=run),
        "nrm.do_request_reconsideration": call(
            lambda p: {
                "decision": p.nrm_decision,
                "requested_by": "first_responder",
                "requested_on": date(2025, 3, 20),
                "grounds": "New evidence.",
            },
            allowed=run,
        ),
        "nrm.do_update_audit": call(
            lambda p: {
                "decision": p.nrm_decision,
                "state": "upheld",
                "comments": "",
                "on": date(2025, 4, 1),
            },
            allowed=run,
        ),
        "nrm.do_update_settings": call(
            lambda p: {
                "settings": p.nrm_panel.nrm_settings,
                "rg_due_days": 40,
                "sca_target_working_days": 5,
                "cg_warning_days": 30,
            },
            allowed=run,
        ),
        "nrm.do_save_comparator": call(
            lambda p: {
                "comparator": None,
                "label": "Another",
                "measure": "final",
                "days": 100,
                "definition": "Average days.",
                "source": "Home Office",
            },
            allowed=run,
        ),
        "nrm.do_record_follow_up": call(
            lambda p: {
                "referral": p.nrm_referral,
                "months": 3,
                "support_offered": "Mentoring",
                "missing_episodes": 0,
                "re_referred": False,
                "crest_status": "none",
                "vip_status": "none",
            },
            allowed=run,
        ),
    }


def _taken_on(p: SimpleNamespace) -> Any:
    referral = refer(p, "Samemeeting", date(2025, 3, 4))
    services.do_take_on(actor=p.nrm_coordinator, referral=referral)
    referral.refresh_from_db()
    return referral


def url_kwargs(p: SimpleNamespace) -> dict[str, str]:
    return {
        "referral_id": str(p.nrm_referral.id),
        "decision_id": str(p.nrm_decision.id),
        "minute_id": str(p.nrm_minute.id),
        "comparator_id": str(p.nrm_comparator.id),
    }


def secrets(p: SimpleNamespace) -> list[str]:
    return [CHILD_NAME, p.nrm_referral.reference, p.nrm_referral.child.reference]
