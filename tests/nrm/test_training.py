"""The monthly child exploitation training workshop on the NRM figures page: read from the
community activity records (one record of each session, never a second one here)."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from csphub.community import services as community
from csphub.community.models import Activity
from csphub.nrm import training
from csphub.people.services import do_create_place
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(nrm):
    """Training in and around the financial year 2023-24 (1 April 2023 to 31 March 2024)."""
    room = do_create_place(
        actor=nrm.coordinator,
        name="Civic Offices training room",
        kind="premises",
        lsoa_code="E01000376",
        community=True,
    )
    school = AgencyFactory(name="Bexley Academy Trust", kind="education")

    def session(held_on, topic, attendance, theme="exploitation", kind="training"):
        activity = community.do_record_activity(
            actor=nrm.coordinator,
            kind=kind,
            theme=theme,
            topic=topic,
            held_on=held_on,
            place=room,
            delivered_by=nrm.council,
            people_reached=sum(attendance.values()),
        )
        for agency, n in attendance.items():
            community.do_record_attendance(
                actor=nrm.coordinator, activity=activity, agency=agency, attendees=n
            )
        return activity

    police, health, council = nrm.police, nrm.health, nrm.council
    session(date(2023, 4, 1), "Referral quality", {police: 4, health: 2})
    session(
        date(2023, 5, 10), "Monthly child exploitation training workshop", {police: 3, school: 5}
    )
    session(date(2024, 3, 31), "Referral quality", {council: 1}, theme="nrm")
    # Outside the year, or not the workshop: not counted.
    session(date(2024, 4, 1), "Referral quality", {police: 9})
    session(date(2023, 6, 1), "Knife crime awareness", {police: 7}, theme="knife_crime")
    community.do_record_activity(
        actor=nrm.coordinator,
        kind="school_workshop",
        theme="exploitation",
        topic="Exploitation and county lines",
        held_on=date(2023, 6, 2),
        place=room,
        delivered_by=nrm.council,
        people_reached=30,
    )
    return school


def test_the_workshops_of_a_financial_year_by_topic_and_agency(nrm, sessions):
    found = training.workshops(nrm.coordinator, 2023)
    assert [s.held_on for s in found.sessions] == [
        date(2023, 4, 1),
        date(2023, 5, 10),
        date(2024, 3, 31),
    ]
    assert [s.attendees for s in found.sessions] == [6, 8, 1]
    assert found.topics == [
        ("Monthly child exploitation training workshop", 1),
        ("Referral quality", 2),
    ]
    # By hand: police 4 + 3, health 2, the school 5, the council 1.
    assert found.by_agency == [
        ("Bexley Academy Trust", 5),
        ("Bexley Children's Services", 1),
        ("Met Police South East", 7),
        ("Oxleas NHS", 2),
    ]
    assert found.attendees == 15
    assert [s.held_on for s in training.workshops(nrm.coordinator, 2024).sessions] == [
        date(2024, 4, 1)
    ]


def test_one_record_read_from_community_not_kept_twice(nrm, sessions):
    from csphub.community.selectors import training_by_agency

    # The community app's own count of all professional training differs only by the
    # knife crime course (7 police), so both read the same records.
    everything = dict(training_by_agency(nrm.coordinator, 2023))
    workshop = dict(training.workshops(nrm.coordinator, 2023).by_agency)
    assert everything.pop("Met Police South East") - workshop.pop("Met Police South East") == 7
    assert everything == workshop
    assert not [m for m in apps.get_app_config("nrm").get_models() if "raining" in m.__name__]
    before = Activity.objects.count()
    training.workshops(nrm.coordinator, 2023)
    assert Activity.objects.count() == before


def test_the_figures_page_shows_the_chosen_year_and_links_to_record(nrm, sessions, client_for):
    client = client_for(nrm.coordinator)
    page = client.get(reverse("nrm:figures"), {"year": "2023"}).content.decode()
    assert "Child exploitation training workshop, 2023-24" in page
    assert "Sessions: <strong>3</strong>. Attendees: <strong>15</strong>." in page
    assert 'data-agency="Met Police South East">7<' in page
    assert "31 March 2024" in page and "1 April 2024" not in page
    assert reverse("community:activity_create") in page
    other = client.get(reverse("nrm:figures"), {"year": "2024"}).content.decode()
    assert "Sessions: <strong>1</strong>. Attendees: <strong>9</strong>." in other


def test_a_year_that_is_not_a_year_falls_back_to_this_one():
    assert training.year_from("twenty", date(2024, 3, 31)) == 2023
    assert training.year_from("1066", date(2024, 4, 1)) == 2024
    assert training.year_from("2022", date(2024, 4, 1)) == 2022


def test_the_training_figures_are_refused_to_an_outsider_and_anonymous(
    nrm, sessions, client_for, client
):
    url = reverse("nrm:figures") + "?year=2023"
    assert client_for(nrm.outsider).get(url).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "Referral quality" not in anonymous.content.decode()
