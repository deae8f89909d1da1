"""Referring someone who may already be known: the referrer is shown only records they may see,
the receiving panel's co-ordinator resolves any other match when deciding, and a refused
referral leaves nobody with a record it did not already give them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import RISK_INDICATORS, TransitionStatus
from csphub.panels.models import Case, CaseSubject, Transition
from csphub.people.models import Person, PersonMerge
from csphub.people.selectors import people_visible_to
from tests.factories import CaseFactory, PersonFactory


def _referral_post(panel, **overrides):
    """The existing record in `world` is Jayden Okoro, born 17 May 2009, on a VIP case."""
    data = {
        "panel": panel.pk,
        "given_name": "Jayden",
        "family_name": "Okoro",
        "date_of_birth": "17/05/2009",
        "gender": "male",
        "ethnicity": "black",
        "address": "",
        "role": "at_risk",
        "reason_category": "county_lines",
        "reason": "Seen getting into cars with older males after school.",
        "consent_given": "yes",
        "lawful_basis": "",
        "override_reason": "",
        "risk_level": "high",
    }
    data.update({f"indicator_{code}": "1" for code, _ in RISK_INDICATORS})
    data.update(overrides)
    return data


def _person_url(person):
    return reverse("people:person_detail", kwargs={"reference": person.reference})


def _decide_url(transition):
    return reverse("panels:transition_decide", kwargs={"transition_id": transition.pk})


def _referred(world):
    return Case.objects.filter(panel=world.crest).get()


def test_referrer_is_not_offered_a_record_they_cannot_see(client_for, world):
    # The teacher sees no case about Jayden; a record with his name and birthday exists.
    client = client_for(world.outsider)
    response = client.post(reverse("panels:refer"), _referral_post(world.crest), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert world.person.reference not in page
    assert "Use record" not in page and "Possible match" not in page
    assert not AuditEvent.objects.filter(verb="person.duplicates_offered").exists()
    # The referral went ahead about a record of its own, not the existing one.
    case = _referred(world)
    assert case.subjects.get().person != world.person
    assert world.person not in people_visible_to(world.outsider)
    assert client.get(_person_url(world.person)).status_code == 404


def test_referrer_cannot_attach_a_record_they_cannot_see_by_naming_it(client_for, world):
    client = client_for(world.outsider)
    post = {**_referral_post(world.crest), "use_person": world.person.reference}
    client.post(reverse("panels:refer"), post)
    assert not CaseSubject.objects.filter(person=world.person).exclude(case=world.case).exists()
    assert client.get(_person_url(world.person)).status_code == 404
    assert client.post(_person_url(world.person) + "reveal/").status_code == 404
    # Nor through the service, whatever a caller passes.
    with pytest.raises((PermissionDenied, ValidationError)):
        services.do_refer(
            actor=world.outsider,
            panel=world.crest,
            owning_agency=world.school,
            person=world.person,
            role="at_risk",
            reason_category="county_lines",
            reason="r",
            consent_given=True,
            risk_level="high",
            indicators={code: 1 for code, _ in RISK_INDICATORS},
        )
    with pytest.raises((PermissionDenied, ValidationError)):
        services.do_refer(
            actor=world.outsider,
            panel=world.crest,
            owning_agency=world.school,
            person=PersonFactory(),
            suggested_match=world.person,
            role="at_risk",
            reason_category="county_lines",
            reason="r",
            consent_given=True,
            risk_level="high",
            indicators={code: 1 for code, _ in RISK_INDICATORS},
        )
    assert not CaseSubject.objects.filter(person=world.person).exclude(case=world.case).exists()


def test_referrer_may_choose_among_records_they_can_see(client_for, world):
    # The social worker's agency owns Jayden's VIP case, so his record is theirs to name.
    client = client_for(world.owner)
    response = client.post(
        reverse("panels:refer"), _referral_post(world.crest, family_name="Okoroh")
    )
    assert response.status_code == 200
    assert f"Use record {world.person.reference}" in response.content.decode()
    offered = AuditEvent.objects.get(verb="person.duplicates_offered", actor=world.owner)
    assert offered.payload == {"references": [world.person.reference]}
    post = {
        **_referral_post(world.crest, family_name="Okoroh"),
        "use_person": world.person.reference,
    }
    assert client.post(reverse("panels:refer"), post).status_code == 302
    transition = Transition.objects.get(to_panel=world.crest)
    # The choice goes to the co-ordinator; nothing is attached before they decide.
    assert transition.suggested_match == world.person
    assert transition.case.subjects.get().person != world.person


def test_rejected_referral_leaves_no_access_to_the_existing_person(client_for, world, make_user):
    referrer = world.outsider
    colleague = make_user(PRACTITIONER, agency=world.school)
    client = client_for(referrer)
    client.post(
        reverse("panels:refer"),
        {**_referral_post(world.crest), "use_person": world.person.reference, "confirm_new": "on"},
    )
    case = _referred(world)
    for user in (referrer, colleague):
        assert world.person not in people_visible_to(user)
    page = client.get(reverse("panels:case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert world.person.reference not in page

    services.do_decide_transition(
        actor=world.crest_coordinator,
        transition=case.transitions.get(),
        decision=TransitionStatus.REJECTED,
        reason="Single-agency support is enough",
    )
    for user in (referrer, colleague):
        assert world.person not in people_visible_to(user)
        assert client_for(user).get(_person_url(world.person)).status_code == 404
    assert CaseSubject.objects.filter(person=world.person).get().case == world.case


def test_a_refused_referral_of_a_record_the_referrer_could_see_leaves_nothing_behind(
    client_for, world
):
    # The owner names Jayden's record; the referral is withdrawn; later the VIP case is
    # transferred away from their agency. The withdrawn referral must not keep him in view.
    client = client_for(world.owner)
    post = {**_referral_post(world.crest), "use_person": world.person.reference}
    assert client.post(reverse("panels:refer"), post).status_code == 302
    case = _referred(world)
    services.do_decide_transition(
        actor=world.owner, transition=case.transitions.get(), decision=TransitionStatus.WITHDRAWN
    )
    transfer = services.do_transfer_case(
        actor=world.coordinator,
        case=world.case,
        to_agency=world.police,
        reason="Enforcement lead",
        consent_given=True,
    )
    services.do_decide_transition(actor=world.coordinator, transition=transfer, decision="accepted")
    assert world.person not in people_visible_to(world.colleague)
    assert client_for(world.colleague).get(_person_url(world.person)).status_code == 404


@pytest.fixture
def unseen_match(client_for, world):
    """The teacher refers Jayden to CREST; his record sits on a VIP case nobody there sees."""
    post = _referral_post(world.crest, confirm_new="on")
    client_for(world.outsider).post(reverse("panels:refer"), post)
    case = _referred(world)
    return case, case.transitions.get(), case.subjects.get().person


def test_coordinator_resolves_match_on_acceptance(client_for, world, unseen_match):
    case, transition, own_record = unseen_match
    client = client_for(world.crest_coordinator)
    page = client.get(_decide_url(transition)).content.decode()
    assert f"The same person as {world.person.reference}" in page
    offered = AuditEvent.objects.filter(verb="person.duplicates_offered").get()
    assert (offered.actor, offered.payload) == (
        world.crest_coordinator,
        {"references": [world.person.reference]},
    )
    # Accepting needs an answer to "is this the same person?"…
    response = client.post(_decide_url(transition), {"decision": "accepted", "reason": ""})
    assert response.status_code == 200
    assert "Choose whether this is a person already known" in response.content.decode()
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.PENDING
    # …and the answer joins the referral to the existing record.
    response = client.post(
        _decide_url(transition),
        {"decision": "accepted", "reason": "", "match": world.person.reference},
    )
    assert response.status_code == 302
    assert case.subjects.get().person == world.person
    own_record.refresh_from_db()
    assert own_record.merged_into == world.person
    assert PersonMerge.objects.get().merged_by == world.crest_coordinator
    resolved = AuditEvent.objects.get(verb="case.referral_match_resolved")
    assert resolved.actor == world.crest_coordinator and resolved.target_id == str(case.pk)
    assert resolved.payload == {
        "transition": str(transition.pk),
        "matches": [world.person.reference],
        "same_as": world.person.reference,
        "referred": own_record.reference,
        "entry": str(case.timeline.get(kind="case.referral_match_resolved").pk),
    }
    assert "Jayden" not in str(resolved.payload) and "Okoro" not in str(resolved.payload)
    # Accepted by the co-ordinator as the same person: the referral's agency now works with him.
    assert world.person in people_visible_to(world.outsider)


def test_coordinator_may_keep_the_referral_as_a_new_person(client_for, world, unseen_match):
    case, transition, own_record = unseen_match
    response = client_for(world.crest_coordinator).post(
        _decide_url(transition), {"decision": "accepted", "reason": "", "match": "new"}
    )
    assert response.status_code == 302
    assert case.subjects.get().person == own_record
    assert Person.objects.get(pk=own_record.pk).merged_into is None
    assert world.person not in people_visible_to(world.outsider)
    resolved = AuditEvent.objects.get(verb="case.referral_match_resolved")
    assert (
        resolved.payload["same_as"] == "" and resolved.payload["referred"] == own_record.reference
    )


def test_coordinator_cannot_join_a_referral_to_a_record_that_was_not_a_match(world, unseen_match):
    _, transition, _ = unseen_match
    stranger = PersonFactory(given_name="Mercy", family_name="Adjei")
    CaseFactory(panel=world.vip, subject=stranger)
    with pytest.raises(ValidationError):
        services.do_decide_transition(
            actor=world.crest_coordinator,
            transition=transition,
            decision="accepted",
            same_as=stranger,
        )
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.PENDING


def test_only_the_record_a_referral_brought_is_matched_not_one_linked_to_it_since(
    world, unseen_match
):
    """Matching folds the referral's own record into a known one. No other record can be
    linked to a waiting referral (so none can be merged through it into a record the
    co-ordinator cannot see, which merging itself allows only to a co-ordinator of both
    records' panels): linking waits for the decision."""
    case, _transition, own_record = unseen_match
    # A Jaiden Okoro, born the same day, on a CREST case: the CREST co-ordinator sees him.
    known = PersonFactory(given_name="Jaiden", family_name="Okoro", date_of_birth=date(2009, 5, 17))
    CaseFactory(panel=world.crest, owning_agency=world.police, subject=known)
    with pytest.raises(PermissionDenied, match="awaiting its decision"):
        services.do_add_subject(
            actor=world.crest_coordinator, case=case, person=known, role="associate"
        )
    assert list(case.subjects.values_list("person", flat=True)) == [own_record.pk]
    known.refresh_from_db()
    assert known.merged_into is None
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "colleague"])
def test_only_the_deciding_coordinator_is_shown_the_match(client_for, world, make_user, who):
    # The referrer (who may withdraw) and a colleague of the owning agency see no match.
    referrer = world.outsider
    user = referrer if who == "outsider" else make_user(PRACTITIONER, agency=world.school)
    client_for(referrer).post(reverse("panels:refer"), _referral_post(world.crest))
    transition = _referred(world).transitions.get()
    response = client_for(user).get(_decide_url(transition))
    assert response.status_code == (200 if who == "outsider" else 403)
    assert world.person.reference not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="person.duplicates_offered").exists()


def test_a_member_of_the_panel_holding_the_match_is_not_shown_it_on_the_decision(
    client_for, world, unseen_match
):
    # The VIP co-ordinator can see Jayden's record but does not decide a CREST referral.
    _, transition, _ = unseen_match
    assert client_for(world.coordinator).get(_decide_url(transition)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_from_the_referral_pages(client, world):
    for url in (reverse("panels:refer"), reverse("people:signpost")):
        response = client.post(url, _referral_post(world.crest))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert Case.objects.count() == 1


def test_no_match_means_no_question_for_the_coordinator(client_for, world):
    client_for(world.outsider).post(
        reverse("panels:refer"),
        _referral_post(
            world.crest, given_name="Kofi", family_name="Boateng", date_of_birth="01/02/2010"
        ),
    )
    transition = _referred(world).transitions.get()
    response = client_for(world.crest_coordinator).post(
        _decide_url(transition), {"decision": "accepted", "reason": ""}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb="case.referral_match_resolved").exists()
    assert date(2010, 2, 1) == _referred(world).subjects.get().person.date_of_birth
