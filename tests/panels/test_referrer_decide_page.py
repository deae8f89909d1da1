"""A referrer is offered only the withdrawal of their own referral, and told who decides."""

from datetime import date

from django.urls import reverse

from csphub.panels import services


def _referral(world):
    case = services.do_refer_person(
        actor=world.owner,
        panel=world.vip,
        given_name="Amara",
        family_name="Osei",
        date_of_birth=date(2011, 5, 1),
        role="at_risk",
        reason_category="other",
        reason="Went missing twice this month.",
        consent_given=True,
        risk_level="medium",
    )
    return case.transitions.get()


def test_the_referrer_may_only_withdraw_and_is_told_who_decides(client_for, world):
    referral = _referral(world)
    page = (
        client_for(world.owner)
        .get(reverse("panels:transition_decide", args=[referral.pk]))
        .content.decode()
    )
    assert 'value="withdrawn"' in page
    assert 'value="accepted"' not in page and 'value="rejected"' not in page
    assert "Only the co-ordinator of Violence Intervention Panel can accept or reject" in page
    assert world.coordinator.full_name in page


def test_the_coordinator_is_offered_accept_and_reject(client_for, world):
    referral = _referral(world)
    page = (
        client_for(world.coordinator)
        .get(reverse("panels:transition_decide", args=[referral.pk]))
        .content.decode()
    )
    assert 'value="accepted"' in page and 'value="rejected"' in page
    assert 'id="who-decides"' not in page


def test_a_referrer_posting_accept_is_refused_and_nothing_changes(client_for, world):
    referral = _referral(world)
    response = client_for(world.owner).post(
        reverse("panels:transition_decide", args=[referral.pk]), {"decision": "accepted"}
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "pending"
