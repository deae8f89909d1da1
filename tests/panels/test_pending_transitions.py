"""A case changing hands is seen by the receiving panel's co-ordinator alone until it is
accepted: not by the receiving panel's members, nor by the receiving agency's practitioners.
Whoever could already see the case keeps seeing it; the co-ordinator decides."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csphub.accounts.roles import PRACTITIONER
from csphub.panels import services
from csphub.panels.choices import RISK_INDICATORS, TransitionStatus
from csphub.panels.models import Case
from csphub.panels.selectors import cases_visible_to
from csphub.people.selectors import people_visible_to
from tests.factories import AgencyFactory, MembershipFactory, PersonFactory

SCORES = {code: 1 for code, _ in RISK_INDICATORS}


def _case_url(case):
    return reverse("panels:case_detail", kwargs={"case_id": case.pk})


def _decide_url(transition):
    return reverse("panels:transition_decide", kwargs={"transition_id": transition.pk})


def _sees(user, case):
    return cases_visible_to(user).filter(pk=case.pk).exists()


@pytest.fixture
def referral(world):
    """The owner (children's social care) refers a new person to VIP: pending."""
    case = services.do_refer(
        actor=world.owner,
        panel=world.vip,
        owning_agency=world.childrens,
        person=PersonFactory(given_name="Amara", family_name="Osei"),
        role="victim",
        reason_category="serious_violence",
        reason="Threatened with a knife on the way home.",
        consent_given=True,
        risk_level="high",
    )
    return case, case.transitions.get()


def test_panel_member_does_not_see_pending_referral_before_decision(client_for, world, referral):
    case, transition = referral
    person = case.subjects.get().person
    member = client_for(world.member)
    assert member.get(_case_url(case)).status_code == 404
    assert member.get(_decide_url(transition)).status_code == 404
    person_url = reverse("people:person_detail", kwargs={"reference": person.reference})
    assert member.get(person_url).status_code == 404
    assert case.reference not in member.get(reverse("panels:case_list")).content.decode()
    assert person not in people_visible_to(world.member)
    # The co-ordinator who decides, and the referrer's own agency, see it.
    for who in ("coordinator", "owner", "colleague"):
        assert client_for(getattr(world, who)).get(_case_url(case)).status_code == 200, who
    # Outsiders and anonymous visitors still do not.
    assert client_for(world.outsider).get(_case_url(case)).status_code == 404
    assert client_for(world.crest_coordinator).get(_case_url(case)).status_code == 404
    assert client_for(world.member).get(_case_url(world.case)).status_code == 200

    services.do_decide_transition(
        actor=world.coordinator, transition=transition, decision="accepted"
    )
    assert member.get(_case_url(case)).status_code == 200
    assert person in people_visible_to(world.member)


def test_panel_member_never_sees_a_referral_the_panel_rejected(world, referral):
    case, transition = referral
    services.do_decide_transition(
        actor=world.coordinator, transition=transition, decision="rejected", reason="Not met"
    )
    assert not _sees(world.member, case)
    assert case.subjects.get().person not in people_visible_to(world.member)
    assert _sees(world.coordinator, case) and _sees(world.owner, case)


def test_receiving_panel_member_does_not_see_a_pending_escalation(client_for, world, make_user):
    crest_member = make_user(PRACTITIONER, agency=AgencyFactory(name="Youth Offending Service"))
    MembershipFactory(panel=world.crest, user=crest_member)
    escalation = services.do_escalate_case(
        actor=world.coordinator,
        case=world.case,
        to_panel=world.crest,
        reason_category="criminal_exploitation",
        reason="Older males collecting him from school.",
        consent_given=True,
        risk_level="high",
        indicators=SCORES,
    )
    assert client_for(crest_member).get(_case_url(world.case)).status_code == 404
    assert world.person not in people_visible_to(crest_member)
    assert client_for(world.crest_coordinator).get(_case_url(world.case)).status_code == 200
    # Those who could already see it (the sending panel and the owning agency) still do.
    for who in ("member", "coordinator", "owner", "colleague"):
        assert _sees(getattr(world, who), world.case), who
    services.do_decide_transition(
        actor=world.crest_coordinator, transition=escalation, decision="accepted"
    )
    assert client_for(crest_member).get(_case_url(world.case)).status_code == 200


@pytest.fixture
def transfer(world, make_user):
    youth_justice = AgencyFactory(name="Youth Justice Service", kind="youth_justice")
    world.receiver = make_user(PRACTITIONER, agency=youth_justice)
    return services.do_transfer_case(
        actor=world.coordinator,
        case=world.case,
        to_agency=youth_justice,
        reason="Court order: youth justice leads.",
        consent_given=True,
    )


def test_receiving_agency_practitioner_cannot_accept_transfer(client_for, world, transfer):
    # The receiving agency does not see the case until the transfer is accepted…
    assert not _sees(world.receiver, world.case)
    assert client_for(world.receiver).get(_case_url(world.case)).status_code == 404
    response = client_for(world.receiver).post(_decide_url(transfer), {"decision": "accepted"})
    assert response.status_code == 404
    # …and the service refuses it whatever the page does.
    with pytest.raises(PermissionDenied):
        services.do_decide_transition(
            actor=world.receiver, transition=transfer, decision="accepted"
        )
    transfer.refresh_from_db()
    world.case.refresh_from_db()
    assert transfer.status == TransitionStatus.PENDING
    assert world.case.owning_agency == world.childrens


@pytest.mark.parametrize("who", ["owner", "colleague", "member", "crest_coordinator"])
def test_only_the_receiving_panels_coordinator_decides_a_transfer(world, transfer, who):
    with pytest.raises(PermissionDenied):
        services.do_decide_transition(
            actor=getattr(world, who), transition=transfer, decision="accepted"
        )
    transfer.refresh_from_db()
    assert transfer.status == TransitionStatus.PENDING


def test_the_receiving_panels_coordinator_accepts_a_transfer(client_for, world, transfer):
    response = client_for(world.coordinator).post(_decide_url(transfer), {"decision": "accepted"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.owning_agency.name == "Youth Justice Service"
    assert _sees(world.receiver, world.case)
    assert Case.objects.get(pk=world.case.pk).transitions.get(pk=transfer.pk).decided_by == (
        world.coordinator
    )


def test_receiving_panel_member_writes_nothing_to_a_referral_they_cannot_see(world, referral):
    """Being on the panel is a way of standing towards its cases only once its members see
    them: until the referral is accepted, the services refuse a member's note or flag too."""
    from csphub.panels.models import TimelineEntry
    from csphub.panels.selectors import case_edits_for

    case, transition = referral
    assert not _sees(world.member, case)
    assert case_edits_for(world.member, case) == frozenset()
    before = TimelineEntry.objects.filter(case=case).count()
    with pytest.raises(PermissionDenied):
        services.do_add_note(actor=world.member, case=case, text="Seen him at the station.")
    with pytest.raises(PermissionDenied):
        services.do_raise_flag(actor=world.member, case=case, kind="other", reason="Knife seen")
    assert TimelineEntry.objects.filter(case=case).count() == before
    assert not case.flags.exists()
    services.do_decide_transition(
        actor=world.coordinator, transition=transition, decision="accepted"
    )
    case.refresh_from_db()
    services.do_add_note(actor=world.member, case=case, text="Seen him at the station.")
    assert "note" in case_edits_for(world.member, case)


def test_a_referral_awaiting_its_decision_takes_no_assignment_and_no_new_subject(
    client_for, world, referral
):
    """What an assignment or a linked record gives would outlive a rejection, so both wait for
    the decision; the page says so, and the services refuse it themselves."""
    case, transition = referral
    with pytest.raises(PermissionDenied, match="awaiting its decision"):
        services.do_assign_practitioner(
            actor=world.coordinator, case=case, practitioner=world.outsider
        )
    with pytest.raises(PermissionDenied, match="awaiting its decision"):
        services.do_add_subject(
            actor=world.coordinator, case=case, role="associate", person=world.person
        )
    page = client_for(world.coordinator).get(
        reverse("panels:case_assign", kwargs={"case_id": case.pk})
    )
    assert page.status_code == 403
    assert "awaiting its decision" in page.content.decode()
    assert not case.assigned_practitioners.exists()
    assert case.subjects.count() == 1

    services.do_decide_transition(
        actor=world.coordinator, transition=transition, decision="accepted"
    )
    case.refresh_from_db()
    services.do_assign_practitioner(actor=world.coordinator, case=case, practitioner=world.member)
    assert list(case.assigned_practitioners.all()) == [world.member]
