"""Deciding a referral, escalation or transfer: access like every case page, and no races."""

import uuid

import pytest
from django.db.models import F
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.core.concurrency import EditConflict
from csphub.panels import services
from csphub.panels.choices import CaseStatus, TransitionStatus
from csphub.panels.models import Case, Transition
from tests.factories import PersonFactory


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
    # The referrer's colleague sees the case (their agency owns it) but may not decide it…
    assert client_for(world.colleague).get(_decide_url(transition)).status_code == 403
    # …and a member of the panel does not see a referral before its co-ordinator accepts it.
    assert client_for(world.member).get(_decide_url(transition)).status_code == 404


def test_a_decision_made_on_a_stale_copy_is_refused_and_changes_nothing(world):
    case, transition = _referral(world)
    # Two co-ordinators open the same pending referral…
    first = Transition.objects.get(pk=transition.pk)
    second = Transition.objects.get(pk=transition.pk)
    services.do_decide_transition(actor=world.coordinator, transition=first, decision="accepted")
    case.refresh_from_db()
    before = (case.status, case.version, case.closure_outcome)
    events = AuditEvent.objects.count()
    # …and the second, still showing it pending, rejects it.
    with pytest.raises(EditConflict) as error:
        services.do_decide_transition(
            actor=world.coordinator, transition=second, decision="rejected", reason="Too late"
        )
    assert "already been accepted" in str(error.value)
    transition.refresh_from_db()
    case.refresh_from_db()
    assert (transition.status, transition.decision_reason) == (TransitionStatus.ACCEPTED, "")
    assert (case.status, case.version, case.closure_outcome) == before
    assert case.status == CaseStatus.ACCEPTED
    assert AuditEvent.objects.count() == events
    assert not case.timeline.filter(summary="Referral rejected").exists()


def test_deciding_an_already_decided_referral_on_the_page_says_so(client_for, world):
    case, transition = _referral(world)
    services.do_decide_transition(
        actor=world.coordinator, transition=transition, decision="accepted"
    )
    response = client_for(world.coordinator).post(
        _decide_url(transition), {"decision": "rejected", "reason": "Threshold not met"}
    )
    assert response.status_code == 409
    assert "This referral has already been accepted by someone else" in response.content.decode()
    transition.refresh_from_db()
    case.refresh_from_db()
    assert (transition.status, case.status) == (TransitionStatus.ACCEPTED, CaseStatus.ACCEPTED)


def test_a_decision_that_loses_the_race_on_the_page_is_a_409_not_a_500(
    client_for, world, monkeypatch
):
    case, transition = _referral(world)
    real = services.do_decide_transition

    def someone_else_first(**kwargs):
        # Another co-ordinator accepts between this page loading the referral and saving.
        real(
            actor=world.coordinator,
            transition=Transition.objects.get(pk=kwargs["transition"].pk),
            decision="accepted",
        )
        return real(**kwargs)

    monkeypatch.setattr(services, "do_decide_transition", someone_else_first)
    response = client_for(world.coordinator).post(
        _decide_url(transition), {"decision": "rejected", "reason": "Threshold not met"}
    )
    assert response.status_code == 409
    assert "This referral has already been accepted by someone else" in response.content.decode()
    transition.refresh_from_db()
    case.refresh_from_db()
    assert (transition.status, case.status) == (TransitionStatus.ACCEPTED, CaseStatus.ACCEPTED)
    assert not AuditEvent.objects.filter(verb="case.referral_rejected").exists()


def test_a_status_change_that_loses_a_race_is_a_409_with_a_message(client_for, world, monkeypatch):
    real = services.do_change_status

    def someone_saved_first(**kwargs):
        Case.objects.filter(pk=kwargs["case"].pk).update(version=F("version") + 1)
        return real(**kwargs)

    monkeypatch.setattr(services, "do_change_status", someone_saved_first)
    response = client_for(world.coordinator).post(
        reverse("panels:case_status", kwargs={"case_id": world.case.pk}),
        {"status": "review", "closure_outcome": "", "reason": "", "version": world.case.version},
    )
    assert response.status_code == 409
    assert "Someone else saved this case after you opened it" in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.ACTIVE
    assert not AuditEvent.objects.filter(verb="case.status_changed").exists()
