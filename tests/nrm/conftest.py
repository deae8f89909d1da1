"""An NRM panel with its seats, a first responder, an outsider, and a meeting."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.meetings import services as meeting_services
from csphub.nrm import services
from csphub.nrm.choices import DEFAULT_QUORUM, ExploitationType, ExploitedWhere, Seat, Vote
from csphub.nrm.models import NrmSettings
from csphub.panels.choices import MembershipRole, PanelDecision, PanelKind
from tests.factories import AgencyFactory, MembershipFactory, PanelFactory


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def nrm(make_user: Any) -> SimpleNamespace:
    council = AgencyFactory(name="Bexley Children's Services", kind="childrens_social_care")
    police = AgencyFactory(name="Met Police South East", kind="police")
    health = AgencyFactory(name="Oxleas NHS", kind="health")
    guardians = AgencyFactory(name="Barnardo's ICTG", kind="voluntary_sector")
    school = AgencyFactory(name="Bexley Academy", kind="education")
    panel = PanelFactory(
        slug="nrm",
        name="Children's NRM Panel",
        kind=PanelKind.OTHER,
        consent_required=False,
        decisions=[PanelDecision.ACCEPT, PanelDecision.REJECT, PanelDecision.CLOSE],
        quorum=DEFAULT_QUORUM,
        owning_agency_sees_cases=False,
    )
    NrmSettings.objects.create(panel=panel, holding_agency=council)
    w = SimpleNamespace(panel=panel, council=council, police=police, health=health)
    w.coordinator = make_user(COORDINATOR, agency=council, full_name="Nia Coordinator")
    w.social_care = make_user(PRACTITIONER, agency=council, full_name="Sol Care")
    w.social_care_2 = make_user(PRACTITIONER, agency=council, full_name="Sue Second")
    w.officer = make_user(PRACTITIONER, agency=police, full_name="Pat Police")
    w.nurse = make_user(PRACTITIONER, agency=health, full_name="Hana Health")
    w.ictg = make_user(PRACTITIONER, agency=guardians, full_name="Ira Guardian")
    w.first_responder = make_user(PRACTITIONER, agency=school, full_name="Fay Responder")
    w.outsider = make_user(PRACTITIONER, agency=school, full_name="Otto Outsider")
    membership = MembershipFactory(panel=panel, user=w.coordinator, role=MembershipRole.COORDINATOR)
    for user, seat in [
        (w.social_care, Seat.SOCIAL_CARE),
        (w.social_care_2, Seat.SOCIAL_CARE),
        (w.officer, Seat.POLICE),
        (w.nurse, Seat.HEALTH),
        (w.ictg, Seat.ICTG),
    ]:
        m = MembershipFactory(panel=panel, user=user)
        services.do_set_seat(actor=w.coordinator, membership=m, seat=seat)
    services.do_set_seat(actor=w.coordinator, membership=membership, seat=Seat.ADVISORY)
    w.meeting = meeting_services.do_schedule_meeting(
        actor=w.coordinator, panel=panel, scheduled_for=at(date(2023, 3, 14)), chair=w.social_care
    )
    return w


def refer(w: SimpleNamespace, **overrides: Any):
    fields: dict[str, Any] = {
        "given_name": "Kai",
        "family_name": "Test",
        "date_of_birth": date(2007, 5, 1),
        "gender": "male",
        "nationality": "British",
        "first_responder_type": "police",
        "first_responder_officer": "PC Fay Responder",
        "received_on": date(2023, 3, 1),
        "exploitation_types": [ExploitationType.CRIMINAL],
        "county_lines": True,
        "exploited_where": ExploitedWhere.UK,
    }
    fields.update(overrides)
    return services.do_refer_child(actor=w.first_responder, panel=w.panel, **fields)


def taken_on(w: SimpleNamespace, **overrides: Any):
    referral = refer(w, **overrides)
    services.do_take_on(actor=w.coordinator, referral=referral)
    referral.refresh_from_db()
    return referral


def votes(w: SimpleNamespace, vote: str = Vote.POSITIVE) -> dict[Any, str]:
    """The quorum present, all voting VOTE, with the guardian (no vote)."""
    return {w.social_care: vote, w.officer: vote, w.nurse: vote, w.ictg: ""}
