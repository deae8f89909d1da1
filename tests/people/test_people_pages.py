"""People and places: pseudonymous by default, reveal audited, merge kept, signpost only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.panels.choices import MembershipRole
from csphub.panels.models import CaseSubject, Offence
from csphub.people.models import Person, PersonMerge
from csphub.people.services import do_merge_people
from tests.factories import CaseFactory, OffenceFactory, PersonFactory, PlaceFactory


def _person_url(world, name="person_detail"):
    return reverse(f"people:{name}", kwargs={"reference": world.person.reference})


@pytest.mark.parametrize("who", ["owner", "colleague", "member", "coordinator"])
def test_entitled_users_see_the_name_but_not_the_date_of_birth(client_for, world, who):
    page = client_for(getattr(world, who)).get(_person_url(world)).content.decode()
    assert world.person.reference in page and "Jayden Okoro" in page
    assert "May 2009" not in page and "2009-05-17" not in page


@pytest.mark.parametrize("who", ["owner", "colleague", "member", "coordinator"])
def test_references_only_where_the_partnership_keeps_names_off_pages(
    client_for, world, who, settings
):
    settings.NAMES_ON_PAGES = False
    page = client_for(getattr(world, who)).get(_person_url(world)).content.decode()
    assert world.person.reference in page
    assert "Okoro" not in page and "May 2009" not in page and "2009-05-17" not in page


@pytest.mark.parametrize("who", ["outsider", "crest_coordinator"])
def test_outsiders_get_not_found_for_the_person(client_for, world, who):
    client = client_for(getattr(world, who))
    assert client.get(_person_url(world)).status_code == 404
    assert client.post(_person_url(world, "person_reveal")).status_code == 404
    assert not AuditEvent.objects.filter(verb="person.revealed").exists()


def test_anonymous_cannot_see_or_reveal_a_person(client, world):
    assert client.get(_person_url(world)).status_code == 302
    assert client.post(_person_url(world, "person_reveal")).status_code == 302


def test_executive_cannot_reveal(client_for, world):
    assert client_for(world.executive).post(_person_url(world, "person_reveal")).status_code == 403


def test_reveal_shows_identity_and_is_audited_without_personal_data(client_for, world):
    response = client_for(world.member).post(
        _person_url(world, "person_reveal"), {"reason": "Joint home visit"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jayden Okoro" in page and "17 May 2009" in page
    event = AuditEvent.objects.get(verb="person.revealed")
    assert (event.actor, event.target_id, event.payload) == (
        world.member,
        str(world.person.pk),
        {"reason": "Joint home visit"},
    )


def test_reveal_without_a_reason_shows_nothing_and_records_nothing(client_for, world):
    response = client_for(world.member).post(_person_url(world, "person_reveal"), {"reason": " "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter why you need to see these details" in page and "17 May 2009" not in page
    assert not AuditEvent.objects.filter(verb="person.revealed").exists()


def test_reveal_needs_a_post(client_for, world):
    assert client_for(world.member).get(_person_url(world, "person_reveal")).status_code == 405


def test_merge_moves_cases_and_offences_and_keeps_history(world):
    duplicate = PersonFactory(given_name="Jaydn", family_name="Okoro")
    other_case = CaseFactory(panel=world.vip, subject=duplicate)
    offence = OffenceFactory(person=duplicate)
    history = do_merge_people(
        actor=world.coordinator,
        surviving=world.person,
        merged=duplicate,
        reason="Same DOB and address; name misspelt by referrer",
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == world.person
    assert CaseSubject.objects.get(case=other_case).person == world.person
    assert Offence.objects.get(pk=offence.pk).person == world.person
    assert history.moved["panels.casesubject"] and history.moved["panels.offence"] == [
        str(offence.pk)
    ]
    assert AuditEvent.objects.get(verb="person.merged").payload["merged"] == str(duplicate.pk)


def test_merge_page_is_for_the_coordinator_of_the_panel(client_for, world):
    duplicate = PersonFactory()
    CaseFactory(panel=world.vip, subject=duplicate)
    url = _person_url(world, "person_merge")
    assert client_for(world.member).get(url).status_code == 403
    assert client_for(world.crest_coordinator).get(url).status_code == 404
    response = client_for(world.coordinator).post(
        url, {"other_reference": duplicate.reference, "reason": "Same person"}
    )
    assert response.status_code == 302
    assert PersonMerge.objects.get().merged == duplicate


def test_merge_cannot_fold_a_record_into_itself(world):
    with pytest.raises(PermissionDenied):
        do_merge_people(
            actor=world.coordinator, surviving=world.person, merged=world.person, reason="x"
        )


def test_merge_service_refuses_anyone_but_a_coordinator_of_both_records(world):
    duplicate = PersonFactory()
    elsewhere = PersonFactory()
    CaseFactory(panel=world.vip, subject=duplicate)
    CaseFactory(panel=world.crest, subject=elsewhere)
    for actor, merged in [
        (world.member, duplicate),  # sits on the panel, does not co-ordinate it
        (world.crest_coordinator, duplicate),  # co-ordinates another panel
        (world.coordinator, elsewhere),  # the second record is on a panel they do not run
    ]:
        with pytest.raises(PermissionDenied):
            do_merge_people(actor=actor, surviving=world.person, merged=merged, reason="x")
    assert not PersonMerge.objects.exists()


def test_signpost_tells_an_outsider_only_whom_to_contact(client_for, world):
    response = client_for(world.outsider).post(
        reverse("people:signpost"),
        {"given_name": "jayden", "family_name": "OKORO", "date_of_birth": "17/05/2009"},
    )
    page = response.content.decode()
    assert "Known to the partnership" in page
    assert "Contact Children&#x27;s Social Care" in page
    assert world.person.reference not in page and world.case.reference not in page
    assert world.vip.name not in page
    event = AuditEvent.objects.get(verb="person.signpost_searched")
    assert event.payload == {"known": True, "open": True}
    assert "Okoro" not in str(event.payload).lower() and "okoro" not in event.target_id


def test_signpost_for_an_unknown_person(client_for, world):
    page = (
        client_for(world.outsider)
        .post(
            reverse("people:signpost"),
            {"given_name": "Nobody", "family_name": "Known", "date_of_birth": "01/01/2010"},
        )
        .content.decode()
    )
    assert "Not known" in page
    assert AuditEvent.objects.get(verb="person.signpost_searched").payload["known"] is False


def test_signpost_search_is_never_a_get_with_a_name_in_the_url(client_for, world):
    response = client_for(world.outsider).get(
        reverse("people:signpost") + "?given_name=Jayden&family_name=Okoro"
    )
    assert "Known to the partnership" not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="person.signpost_searched").exists()


def test_signpost_is_closed_to_executives_and_anonymous(client_for, client, world):
    assert client_for(world.executive).get(reverse("people:signpost")).status_code == 403
    assert client.get(reverse("people:signpost")).status_code == 302


def test_place_page_follows_case_access(client_for, client, world):
    park = PlaceFactory(name="Danson Park")
    world.case.subjects.create(place=park, role="location")
    url = reverse("people:place_detail", kwargs={"reference": park.reference})
    assert "Danson Park" in client_for(world.member).get(url).content.decode()
    assert client_for(world.colleague).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_a_home_address_place_shows_only_its_area(client_for, world):
    # E01000331 (Bexley 017E) lies in Crayford in the best-fit lookup.
    home = PlaceFactory(
        name="14 Hill View Road", kind="address", lsoa_code="E01000331", ward_name=""
    )
    world.case.subjects.create(place=home, role="location")
    page = (
        client_for(world.member)
        .get(reverse("people:place_detail", kwargs={"reference": home.reference}))
        .content.decode()
    )
    assert "An address in Crayford" in page and "Hill View" not in page


def test_police_member_records_an_offence_with_the_crime_engines_weight(client_for, world):
    url = _person_url(world, "offence_create")
    response = client_for(world.member).post(
        url,
        {
            "offence_date": "03/03/2024",
            "category": "ROBBERY/ROBBERY OF PERSONAL PROPERTY",
            "harm_weight": "",
        },
    )
    assert response.status_code == 302
    offence = Offence.objects.get(person=world.person)
    assert offence.harm_weight == 330.0
    assert offence.offence_date == date(2024, 3, 3)


@pytest.mark.parametrize("who,status", [("owner", 403), ("outsider", 404)])
def test_non_police_cannot_record_offences(client_for, world, who, status):
    # The owner sees the person but is not police (403); the outsider does not see them (404).
    url = _person_url(world, "offence_create")
    assert client_for(getattr(world, who)).get(url).status_code == status


def test_the_service_itself_refuses_an_offence_against_someone_the_officer_cannot_see(
    world, make_user
):
    """Recording an offence writes to a person's record: the police officer must see them."""
    from django.core.exceptions import PermissionDenied

    from csphub.accounts.roles import PRACTITIONER
    from csphub.panels.services import do_record_offence
    from tests.factories import AgencyFactory

    officer = make_user(PRACTITIONER, agency=AgencyFactory(name="BTP", kind="police"))
    with pytest.raises(PermissionDenied):
        do_record_offence(
            actor=officer,
            person=world.person,
            offence_date=date(2024, 3, 3),
            category="ROBBERY/ROBBERY OF PERSONAL PROPERTY",
        )
    assert not Offence.objects.filter(person=world.person).exists()


def test_merged_reference_still_resolves(client_for, world):
    duplicate = PersonFactory()
    CaseFactory(panel=world.vip, subject=duplicate)
    do_merge_people(actor=world.coordinator, surviving=world.person, merged=duplicate, reason="x")
    assert Person.objects.get(reference=duplicate.reference).merged_into == world.person
    old_url = reverse("people:person_detail", kwargs={"reference": duplicate.reference})
    # Those who may see the surviving record are taken to it from the old reference…
    for who in ("owner", "coordinator"):
        response = client_for(getattr(world, who)).get(old_url)
        assert response.status_code == 302, who
        assert response["Location"] == _person_url(world)
    # …and nobody else learns where it went.
    response = client_for(world.outsider).get(old_url)
    assert response.status_code == 404
    assert world.person.reference not in response.content.decode()


def test_coordinator_membership_role_is_what_allows_merging(client_for, world):
    world.vip.memberships.filter(user=world.coordinator).update(role=MembershipRole.MEMBER)
    assert client_for(world.coordinator).get(_person_url(world, "person_merge")).status_code == 403


def test_a_refused_offence_form_for_a_real_person_is_audited(client_for, world):
    url = _person_url(world, "offence_create")
    assert client_for(world.outsider).get(url).status_code == 404
    refused = AuditEvent.objects.get(verb="person.view_refused", actor=world.outsider)
    assert refused.target_id == str(world.person.pk)
