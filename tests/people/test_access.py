"""Who sees a person is what the apps linking people to their records register
(csphub.people.access): panels through the cases, and any later app through its own links."""

import pytest
from django.db.models import Q

from csphub.people import access
from csphub.people.models import Person
from csphub.people.selectors import may_merge, people_visible_to, places_visible_to
from tests.panels.factories import PersonFactory


@pytest.fixture
def links():
    """The registered links as they stand, put back after the test."""
    saved = dict(access._links)
    yield access
    access._links.clear()
    access._links.update(saved)


def test_panels_links_people_through_the_cases_they_may_open(world):
    assert set(access._links) == {"panels"}
    assert list(people_visible_to(world.owner)) == [world.person]
    assert list(people_visible_to(world.outsider)) == []


def test_another_apps_links_open_the_people_on_its_records_too(world, links):
    elsewhere = PersonFactory()
    links.register_links(
        "nrm",
        access.Links(
            people_seen_by=lambda user: Q(pk=elsewhere.pk),
            places_seen_by=lambda user: Q(pk__in=[]),
            people_coordinated_by=lambda user: Q(pk=elsewhere.pk),
        ),
    )
    assert set(people_visible_to(world.outsider)) == {elsewhere}
    assert set(people_visible_to(world.owner)) == {world.person, elsewhere}
    assert may_merge(world.coordinator, elsewhere)  # they co-ordinate a record about them


def test_with_no_app_linking_people_nobody_sees_anyone(world, links):
    links._links.clear()
    assert Person.objects.exists()
    assert list(people_visible_to(world.coordinator)) == []
    assert list(places_visible_to(world.coordinator)) == []
    assert not may_merge(world.coordinator, world.person)
