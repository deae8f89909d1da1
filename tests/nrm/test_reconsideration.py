"""A decision answering a request for reconsideration: linked on the decision form, checked
by the service, and the request's outcome shown on the referral page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from csphub.core.errors import ServiceError
from csphub.nrm import services
from csphub.nrm.choices import DecisionKind, Outcome, Requester, Vote
from csphub.nrm.models import Decision
from tests.nrm.conftest import taken_on, votes
from tests.nrm.test_decisions import meeting_on, messages, rg

pytestmark = pytest.mark.django_db


def asked(nrm, decision, day=date(2023, 3, 20)):
    return services.do_request_reconsideration(
        actor=nrm.coordinator,
        decision=decision,
        requested_by=Requester.FIRST_RESPONDER,
        requested_on=day,
        grounds="New disclosure to the guardian after the decision.",
    )


@pytest.fixture
def refused_rg(nrm):
    referral = taken_on(nrm)
    first = rg(nrm, referral, present=votes(nrm, Vote.NEGATIVE), outcome=Outcome.NEGATIVE)
    return referral, first, asked(nrm, first)


def _post(nrm, referral, request_for_reconsideration):
    meeting = meeting_on(nrm, date(2023, 4, 11))
    data = {
        "kind": "rg",
        "meeting": meeting.pk,
        "decided_on": "11/04/2023",
        "outcome": "positive",
        "chair": nrm.officer.pk,
        f"seat_{nrm.social_care.pk}": "positive",
        f"seat_{nrm.officer.pk}": "positive",
        f"seat_{nrm.nurse.pk}": "positive",
        f"seat_{nrm.ictg.pk}": "present",
        f"seat_{nrm.social_care_2.pk}": "absent",
        f"seat_{nrm.coordinator.pk}": "absent",
    }
    if request_for_reconsideration is not None:
        data["reconsideration"] = request_for_reconsideration.pk
    return reverse("nrm:decision_create", kwargs={"referral_id": referral.pk}), data


def test_the_decision_form_links_the_new_decision_to_the_request(nrm, refused_rg, client_for):
    referral, first, request_ = refused_rg
    client = client_for(nrm.coordinator)
    url, data = _post(nrm, referral, request_)
    form = client.get(url, {"reconsideration": str(request_.pk)}).content.decode()
    assert "Decision on a request for reconsideration" in form
    assert "Asked for on 20 March 2023 by the first responder" in form
    assert f'value="{request_.pk}" selected' in form
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    new = Decision.objects.get(referral=referral, decided_on=date(2023, 4, 11))
    assert new.reconsideration == request_ and new.outcome == Outcome.POSITIVE
    # The referral's RG is now the reconsidered one: 1 March to 11 April is 41 days.
    assert referral.decision(DecisionKind.RG) == new != first
    assert new.days_from_referral == 41


def test_the_request_shows_its_outcome_once_decided(nrm, refused_rg, client_for):
    referral, _, request_ = refused_rg
    page = reverse("nrm:referral_detail", kwargs={"referral_id": referral.pk})
    before = client_for(nrm.coordinator).get(page).content.decode()
    assert "Outcome of the request: awaiting the panel's decision" in before
    assert f"?reconsideration={request_.pk}" in before
    # A voting member sees the outcome but not the link to record it.
    assert (
        f"?reconsideration={request_.pk}" not in client_for(nrm.officer).get(page).content.decode()
    )
    client_for(nrm.coordinator).post(*_post(nrm, referral, request_))
    after = client_for(nrm.officer).get(page).content.decode()
    assert "Reasonable Grounds decision of 11 April 2023: Positive" in after
    assert "awaiting the panel" not in after
    assert "answers the request for reconsideration of 20 March 2023" in after


def test_an_answered_request_leaves_the_form(nrm, refused_rg, client_for):
    referral, _, request_ = refused_rg
    client = client_for(nrm.coordinator)
    client.post(*_post(nrm, referral, request_))
    url, _ = _post(nrm, referral, None)
    assert "Decision on a request for reconsideration" not in client.get(url).content.decode()


def test_without_a_request_the_form_has_no_reconsideration_question(nrm, client_for):
    referral = taken_on(nrm)
    url = reverse("nrm:decision_create", kwargs={"referral_id": referral.pk})
    assert "Decision on a request for reconsideration" not in (
        client_for(nrm.coordinator).get(url).content.decode()
    )


def test_the_service_refuses_a_request_answered_twice_or_of_another_kind_or_case(nrm, refused_rg):
    referral, _, request_ = refused_rg
    second = meeting_on(nrm, date(2023, 4, 11))
    rg(nrm, referral, meeting=second, day=date(2023, 4, 11), reconsideration=request_)
    with pytest.raises(ServiceError) as twice:
        rg(nrm, referral, meeting=second, day=date(2023, 4, 12), reconsideration=request_)
    assert services.decisions.ALREADY_ANSWERED in messages(twice.value)

    other = taken_on(nrm, given_name="Lee")
    with pytest.raises(ServiceError) as elsewhere:
        rg(nrm, other, reconsideration=asked(nrm, rg(nrm, referral, meeting=second)))
    assert services.decisions.NOT_THIS_REFERRAL in messages(elsewhere.value)
    assert not other.decisions.exists()


def test_a_cg_does_not_answer_a_request_about_an_rg(nrm, refused_rg):
    referral, _, request_ = refused_rg
    second = meeting_on(nrm, date(2023, 4, 11))
    with pytest.raises(ServiceError) as refused:
        services.do_record_decision(
            actor=nrm.coordinator,
            referral=referral,
            kind=DecisionKind.CG,
            meeting=second,
            decided_on=date(2023, 4, 11),
            outcome=Outcome.POSITIVE,
            chair=nrm.officer,
            votes=votes(nrm),
            reconsideration=request_,
        )
    assert services.decisions.OTHER_KIND in messages(refused.value)


def test_rg_and_cg_together_answer_an_rg_request_with_the_rg(nrm, refused_rg):
    referral, _, request_ = refused_rg
    new_rg, new_cg = services.do_record_rg_and_cg(
        actor=nrm.coordinator,
        referral=referral,
        meeting=meeting_on(nrm, date(2023, 4, 11)),
        decided_on=date(2023, 4, 11),
        cg_outcome=Outcome.POSITIVE,
        chair=nrm.officer,
        rg_votes=votes(nrm),
        cg_votes=votes(nrm),
        reconsideration=request_,
    )
    assert new_rg.reconsideration == request_ and new_cg.reconsideration is None
