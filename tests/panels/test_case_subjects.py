"""Linking a person or place to a case is the panel co-ordinator's decision, and so is removing
one (with a reason); removal takes away the access the link gave."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import CaseStatus
from csphub.panels.models import CaseSubject
from csphub.people.models import Place
from tests.factories import CaseFactory, PersonFactory


def _subject_url(world):
    return reverse("panels:case_subject", kwargs={"case_id": world.case.pk})


def _remove_url(world, subject):
    return reverse(
        "panels:case_subject_remove", kwargs={"case_id": world.case.pk, "subject_id": subject.pk}
    )


def do_remove_subject(**kwargs):
    from csphub.panels.services import do_remove_subject as remove

    return remove(**kwargs)


def _person_page(client, person):
    return client.get(reverse("people:person_detail", kwargs={"reference": person.reference}))


@pytest.fixture
def crest_person(world):
    """A child on a CREST case owned by the police: the police member of VIP can see them."""
    person = PersonFactory(given_name="Amara", family_name="Bello")
    CaseFactory(panel=world.crest, owning_agency=world.police, subject=person)
    return person


@pytest.fixture
def linked(world):
    """A second person, from another VIP case, linked to the world's case by its co-ordinator."""
    person = PersonFactory(given_name="Kofi", family_name="Mensah")
    CaseFactory(panel=world.vip, owning_agency=world.police, subject=person)
    return services.do_add_subject(
        actor=world.coordinator, case=world.case, person=person, role="associate"
    )


# Adding.


def test_panel_member_cannot_add_subject_from_another_panel(client_for, world, crest_person):
    member = client_for(world.member)
    assert _person_page(member, crest_person).status_code == 200  # they can see the person
    response = member.post(
        _subject_url(world), {"role": "associate", "person_reference": crest_person.reference}
    )
    assert response.status_code == 403
    assert "co-ordinator" in response.content.decode()
    assert not world.case.subjects.filter(person=crest_person).exists()
    # So the case's other viewers are not shown the child.
    assert _person_page(client_for(world.owner), crest_person).status_code == 404
    assert not AuditEvent.objects.filter(verb="case.subject_added").exists()


def test_owning_agency_cannot_add_a_place_and_no_place_is_kept(client_for, world):
    places = Place.objects.count()
    response = client_for(world.owner).post(
        _subject_url(world), {"role": "location", "place_name": "Broadway", "place_kind": "street"}
    )
    assert response.status_code == 403
    assert Place.objects.count() == places
    with pytest.raises(PermissionDenied):
        services.do_add_subject(
            actor=world.owner, case=world.case, person=PersonFactory(), role="victim"
        )


def test_a_practitioner_asking_to_add_someone_is_told_who_decides(client_for, world):
    response = client_for(world.member).get(_subject_url(world))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only the co-ordinator" in page and world.vip.name in page


def test_outsider_and_anonymous_cannot_reach_the_add_page(client, client_for, world):
    assert client_for(world.outsider).get(_subject_url(world)).status_code == 404
    assert client.get(_subject_url(world)).status_code == 302


def test_coordinator_links_a_person_they_can_see_and_the_case_shows_them(client_for, world, linked):
    assert linked.case == world.case
    assert _person_page(client_for(world.owner), linked.person).status_code == 200


def test_not_even_the_coordinator_links_a_person_they_cannot_see(world, crest_person):
    with pytest.raises(PermissionDenied):
        services.do_add_subject(
            actor=world.coordinator, case=world.case, person=crest_person, role="associate"
        )
    assert not world.case.subjects.filter(person=crest_person).exists()


# Removing.


def test_coordinator_removes_subject_and_access_goes(client_for, world, linked):
    owner = client_for(world.owner)
    assert _person_page(owner, linked.person).status_code == 200
    coordinator = client_for(world.coordinator)
    assert coordinator.get(_remove_url(world, linked)).status_code == 200
    response = coordinator.post(_remove_url(world, linked), {"reason": "Linked in error"})
    assert response.status_code == 302
    assert not CaseSubject.objects.filter(pk=linked.pk).exists()
    assert _person_page(owner, linked.person).status_code == 404
    entry = world.case.timeline.get(kind="case.subject_removed")
    assert entry.detail == "Linked in error" and linked.person.reference in entry.summary
    event = AuditEvent.objects.get(verb="case.subject_removed")
    assert (event.actor, event.target_id) == (world.coordinator, str(world.case.pk))
    assert event.payload == {
        "subject": linked.person.reference,
        "role": "associate",
        "entry": str(entry.pk),
    }
    recorded = json.dumps([event.payload, event.target_id])
    assert "Mensah" not in recorded and "Kofi" not in recorded


def test_removing_a_subject_needs_a_reason(client_for, world, linked):
    response = client_for(world.coordinator).post(_remove_url(world, linked), {"reason": "  "})
    assert response.status_code == 200
    assert CaseSubject.objects.filter(pk=linked.pk).exists()
    with pytest.raises(Exception, match="why"):
        do_remove_subject(actor=world.coordinator, subject=linked, reason="")


@pytest.mark.parametrize("who", ["owner", "member"])
def test_only_the_coordinator_removes_a_subject(client_for, world, linked, who):
    client = client_for(getattr(world, who))
    assert client.get(_remove_url(world, linked)).status_code == 403
    assert client.post(_remove_url(world, linked), {"reason": "r"}).status_code == 403
    with pytest.raises(PermissionDenied):
        do_remove_subject(actor=getattr(world, who), subject=linked, reason="r")
    assert CaseSubject.objects.filter(pk=linked.pk).exists()


@pytest.mark.parametrize("who", ["outsider", "crest_coordinator"])
def test_those_who_cannot_see_the_case_get_not_found_on_removal(client_for, world, linked, who):
    client = client_for(getattr(world, who))
    assert client.post(_remove_url(world, linked), {"reason": "r"}).status_code == 404
    assert CaseSubject.objects.filter(pk=linked.pk).exists()


def test_anonymous_visitor_cannot_remove_a_subject(client, world, linked):
    response = client.post(_remove_url(world, linked), {"reason": "r"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert CaseSubject.objects.filter(pk=linked.pk).exists()


def test_the_last_person_or_place_on_a_case_stays(client_for, world):
    only = world.case.subjects.get()
    response = client_for(world.coordinator).post(_remove_url(world, only), {"reason": "r"})
    assert response.status_code == 200
    assert "at least one" in response.content.decode()
    assert CaseSubject.objects.filter(pk=only.pk).exists()


def test_a_subject_linked_in_error_is_removed_from_a_closed_case(world, linked):
    services.do_change_status(
        actor=world.coordinator, case=world.case, status="closed", closure_outcome="risk_reduced"
    )
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED
    do_remove_subject(actor=world.coordinator, subject=linked, reason="Wrong child")
    assert not CaseSubject.objects.filter(pk=linked.pk).exists()


def test_the_case_page_offers_removal_to_the_coordinator_only(client_for, world, linked):
    url = _remove_url(world, linked)
    case_url = reverse("panels:case_detail", kwargs={"case_id": world.case.pk})
    assert url in client_for(world.coordinator).get(case_url).content.decode()
    assert url not in client_for(world.owner).get(case_url).content.decode()
