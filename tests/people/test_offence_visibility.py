"""Offences are shown to the police and to the co-ordinator of a panel holding the case; other
practitioners see them only after the audited reveal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from tests.factories import AgencyFactory, OffenceFactory

# As the person page labels it (offence_categories.category_label); no reference or id can contain it.
SHOWN_CATEGORY = "Violence against the person: violence with injury"
# The case was referred today: one offence before, the 12 months after not yet over.
SHOWN_COUNTS = "1 / not yet: the 12 months after referral end on"


def may_see_offences(user, about):
    from csphub.panels.selectors import may_see_offences as rule

    return rule(user, about)


@pytest.fixture
def offence(world):
    referred = timezone.localdate(world.case.referred_at)
    return OffenceFactory(person=world.person, offence_date=referred - timedelta(days=30))


def _person(client, world):
    return client.get(reverse("people:person_detail", kwargs={"reference": world.person.reference}))


def _case(client, world):
    return client.get(reverse("panels:case_detail", kwargs={"case_id": world.case.pk}))


def _reveal(client, world):
    return client.post(
        reverse("people:person_reveal", kwargs={"reference": world.person.reference}),
        {"reason": "Joint home visit"},
    )


@pytest.mark.parametrize("who", ["owner", "colleague"])
def test_non_police_practitioner_does_not_see_offences(client_for, world, offence, who):
    client = client_for(getattr(world, who))
    person_page = _person(client, world).content.decode()
    assert world.person.reference in person_page
    assert SHOWN_CATEGORY not in person_page
    assert "Harm-weighted" not in person_page
    case_page = _case(client, world).content.decode()
    assert world.case.reference in case_page
    assert SHOWN_COUNTS not in case_page
    assert not may_see_offences(getattr(world, who), world.person)
    assert not may_see_offences(getattr(world, who), world.case)


def test_police_practitioner_sees_offences(client_for, world, offence):
    client = client_for(world.member)
    assert SHOWN_CATEGORY in _person(client, world).content.decode()
    assert SHOWN_COUNTS in _case(client, world).content.decode()


def test_the_panels_coordinator_sees_offences(client_for, world, offence):
    client = client_for(world.coordinator)
    assert SHOWN_CATEGORY in _person(client, world).content.decode()
    assert SHOWN_COUNTS in _case(client, world).content.decode()


def test_police_who_cannot_see_the_person_are_not_shown_their_offences(make_user, world):
    other_officer = make_user(PRACTITIONER, agency=AgencyFactory(name="BTP", kind="police"))
    assert not may_see_offences(other_officer, world.person)
    assert not may_see_offences(other_officer, world.case)


def test_offences_revealed_behind_audited_reveal(client_for, world, offence):
    client = client_for(world.owner)
    assert SHOWN_CATEGORY not in _person(client, world).content.decode()
    assert not AuditEvent.objects.filter(verb="person.revealed").exists()
    response = _reveal(client, world)
    assert response.status_code == 200
    assert SHOWN_CATEGORY in response.content.decode()
    event = AuditEvent.objects.get(verb="person.revealed")
    assert (event.actor, event.target_id) == (world.owner, str(world.person.pk))


def test_outsider_and_anonymous_see_no_offences(client, client_for, world, offence):
    assert _person(client_for(world.outsider), world).status_code == 404
    assert _reveal(client_for(world.outsider), world).status_code == 404
    assert _person(client, world).status_code == 302
    assert not may_see_offences(world.outsider, world.person)
