"""Deciding a referral, escalation or transfer: access like every case page, and no races."""

import uuid

import pytest
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import TransitionStatus
from tests.panels.factories import PersonFactory


def _referral(world):
    case = services.do_refer(
        actor=world.owner,
        panel=world.vip,
        owning_agency=world.childrens,
        person=PersonFactory(),
        role="victim",
        reason_category="serious_violence",
        reason="Stabbed outside school",
        consent_given=True,
        risk_level="high",
    )
    return case, case.transitions.get()


def _decide_url(transition):
    return reverse("panels:transition_decide", kwargs={"transition_id": transition.pk})


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_asking_to_decide_gets_not_found_and_the_refusal_is_audited(
    client_for, world, method
):
    case, transition = _referral(world)
    client = client_for(world.outsider)
    response = getattr(client, method)(_decide_url(transition), {"decision": "accepted"})
    assert response.status_code == 404
    refused = AuditEvent.objects.get(verb="case.view_refused")
    assert (refused.actor, refused.target_id) == (world.outsider, str(case.pk))
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.PENDING


def test_unknown_transition_is_not_found_and_not_audited_as_a_refusal(client_for, world):
    response = client_for(world.outsider).get(
        reverse("panels:transition_decide", kwargs={"transition_id": uuid.uuid4()})
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb="case.view_refused").exists()


def test_anonymous_visitor_is_sent_to_sign_in_from_a_decision(client, world):
    _, transition = _referral(world)
    response = client.get(_decide_url(transition))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_member_who_may_not_decide_is_refused(client_for, world):
    _, transition = _referral(world)
    assert client_for(world.member).get(_decide_url(transition)).status_code == 403
