"""Every view of a person's page is audited (ids only); so is a refused request for a real one."""

import json

import pytest
from django.urls import reverse

from csphub.audit.models import AuditEvent
from tests.factories import OffenceFactory


def _url(reference, name="person_detail"):
    return reverse(f"people:{name}", kwargs={"reference": reference})


def _person_events(verb):
    return AuditEvent.objects.filter(verb=verb, target_type="people.person")


@pytest.mark.parametrize("who", ["owner", "colleague", "member", "coordinator"])
def test_viewing_a_person_is_audited_with_actor_and_target(client_for, world, who):
    user = getattr(world, who)
    assert client_for(user).get(_url(world.person.reference)).status_code == 200
    event = _person_events("person.viewed").get()
    assert (event.actor, event.target_id) == (user, str(world.person.pk))
    assert not AuditEvent.objects.filter(verb="person.view_refused").exists()


def test_each_viewing_is_a_separate_event(client_for, world):
    client = client_for(world.owner)
    client.get(_url(world.person.reference))
    client.get(_url(world.person.reference))
    assert _person_events("person.viewed").filter(actor=world.owner).count() == 2


def test_the_view_event_holds_no_name_or_date_of_birth(client_for, world):
    OffenceFactory(person=world.person)  # the police member's page lists offences too
    client_for(world.member).get(_url(world.person.reference))
    event = _person_events("person.viewed").get()
    person = world.person
    recorded = json.dumps([event.payload, event.target_id, event.actor_label])
    for personal in (person.given_name, person.family_name, person.date_of_birth.isoformat()):
        assert personal not in recorded
    assert event.payload == {"page": "people:person_detail"}


@pytest.mark.parametrize("who", ["outsider", "crest_coordinator"])
def test_an_outsider_is_refused_and_the_refusal_not_a_view_is_audited(client_for, world, who):
    user = getattr(world, who)
    assert client_for(user).get(_url(world.person.reference)).status_code == 404
    assert not AuditEvent.objects.filter(verb="person.viewed").exists()
    refusal = _person_events("person.view_refused").get()
    assert (refusal.actor, refusal.target_id, refusal.payload) == (user, str(world.person.pk), {})


def test_a_refused_reveal_is_audited_as_a_refusal(client_for, world):
    assert (
        client_for(world.outsider).post(_url(world.person.reference, "person_reveal")).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(verb__in=["person.viewed", "person.revealed"]).exists()
    assert _person_events("person.view_refused").get().actor == world.outsider


def test_an_unknown_reference_is_not_found_and_audits_nothing_about_people(client_for, world):
    assert client_for(world.owner).get(_url("P-00000")).status_code == 404
    assert not AuditEvent.objects.filter(verb__startswith="person.").exists()


def test_anonymous_requests_are_not_audited_as_views(client, world):
    assert client.get(_url(world.person.reference)).status_code == 302
    assert not AuditEvent.objects.filter(verb__startswith="person.").exists()


@pytest.mark.parametrize("who", ["owner", "colleague", "member", "coordinator"])
def test_viewing_a_place_is_audited_by_its_id(client_for, world, who):
    from tests.factories import PlaceFactory

    park = PlaceFactory(name="Danson Park")
    world.case.subjects.create(place=park, role="location")
    user = getattr(world, who)
    assert client_for(user).get(_url(park.reference, "place_detail")).status_code == 200
    event = AuditEvent.objects.get(verb="place.viewed")
    assert (event.actor, event.target_type, event.target_id, event.payload) == (
        user,
        "people.place",
        str(park.pk),
        {"page": "people:place_detail"},
    )


def test_a_place_refused_or_asked_for_anonymously_records_no_view(client_for, client, world):
    from tests.factories import PlaceFactory

    park = PlaceFactory(name="Danson Park")
    world.case.subjects.create(place=park, role="location")
    assert client_for(world.outsider).get(_url(park.reference, "place_detail")).status_code == 404
    assert client.get(_url(park.reference, "place_detail")).status_code == 302
    assert not AuditEvent.objects.filter(verb="place.viewed").exists()


def test_the_merge_form_is_a_view_of_the_person(client_for, world):
    assert (
        client_for(world.coordinator).get(_url(world.person.reference, "person_merge")).status_code
        == 200
    )
    event = _person_events("person.viewed").get()
    assert (event.actor, event.payload) == (world.coordinator, {"page": "people:person_merge"})
