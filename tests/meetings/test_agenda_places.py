"""Contextual safeguarding on the agenda: the panel's open cases about places, listed under
"Locations and themes" on the meeting page and in the minutes."""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from csphub.meetings import services
from csphub.meetings.choices import AgendaReason
from csphub.meetings.selectors import agenda_visible_to, split_agenda
from csphub.panels.choices import CaseStatus, SubjectRole
from csphub.panels.models import CaseSubject
from tests.factories import CaseFactory, PanelFactory, PlaceFactory

ADDRESS = "3 Pickford Lane, Bexleyheath"


def _place_case(panel, agency, place, status=CaseStatus.ACTIVE, **kwargs):
    case = CaseFactory(panel=panel, status=status, owning_agency=agency, subject=False, **kwargs)
    CaseSubject.objects.create(case=case, place=place, role=SubjectRole.LOCATION)
    return case


def test_open_place_cases_join_the_agenda_after_the_individuals(world):
    park = _place_case(world.panel, world.police, PlaceFactory(name="Danson Park"))
    _place_case(world.panel, world.police, PlaceFactory(), status=CaseStatus.CLOSED)
    _place_case(PanelFactory(slug="crest"), world.police, PlaceFactory())
    items = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    assert [(i.case, i.reason) for i in items] == [
        (world.new_referral, AgendaReason.NEW_REFERRAL),
        (world.due, AgendaReason.REVIEW_DUE),
        (park, AgendaReason.LOCATION),
    ]
    # Generating again adds nothing new.
    assert services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting) == []


def test_a_place_case_that_is_new_or_due_keeps_that_reason_but_sits_with_the_places(world):
    new_place = _place_case(world.panel, world.police, PlaceFactory(), status=CaseStatus.REFERRED)
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    people, places = split_agenda(list(agenda_visible_to(world.member, world.meeting)))
    assert [i.case for i in people] == [world.new_referral, world.due]
    assert [(i.case, i.reason) for i in places] == [(new_place, AgendaReason.NEW_REFERRAL)]


def test_a_persons_case_with_a_place_linked_stays_with_the_individuals(world):
    CaseSubject.objects.create(
        case=world.not_due, place=PlaceFactory(name="Bus station"), role=SubjectRole.LOCATION
    )
    items = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    # Not due for review and about a person: not on this agenda at all.
    assert world.not_due not in [i.case for i in items]


def test_meeting_page_lists_places_under_locations_and_themes(client_for, world):
    park = _place_case(world.panel, world.police, PlaceFactory(name="Danson Park"))
    home = PlaceFactory(name=ADDRESS, kind="address", lsoa_code="", ward_name="Crook Log")
    address = _place_case(world.panel, world.police, home)
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    url = reverse("meetings:meeting_detail", args=[world.meeting.pk])
    html = client_for(world.member).get(url).content.decode()
    section = html[html.index("Locations and themes") :]
    assert f"3. Case {park.reference}: Danson Park" in section
    assert f"4. Case {address.reference}: An address in Crook Log" in section
    assert ADDRESS not in html
    assert world.new_referral.reference not in section
    # The co-ordinator can minute them like any other item.
    coordinator = client_for(world.coordinator).get(url).content.decode()
    item = world.meeting.items.get(case=park)
    assert reverse("meetings:decision_edit", args=[world.meeting.pk, item.pk]) in coordinator
    assert client_for(world.outsider).get(url).status_code == 404


def test_minutes_carry_the_locations_section(client_for, world):
    park = _place_case(world.panel, world.police, PlaceFactory(name="Danson Park"))
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    body = (
        client_for(world.member)
        .get(reverse("meetings:minutes_docx", args=[world.meeting.pk]))
        .content
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "Locations and themes" in text
    assert f"3. Case {park.reference}: Danson Park (Open location)" in text
    assert text.index("Locations and themes") < text.index(f"3. Case {park.reference}")


def test_meeting_page_queries_do_not_grow_with_place_cases(client_for, world):
    client = client_for(world.member)
    url = reverse("meetings:meeting_detail", args=[world.meeting.pk])

    def add_places(n):
        for _ in range(n):
            _place_case(world.panel, world.police, PlaceFactory())
        services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add_places(1)
    small = count()
    add_places(6)
    assert count() == small
