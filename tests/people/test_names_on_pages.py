"""Names for those who need them (ADR 0015): the person's name on the case, person and meeting
pages of those who may open the case; references everywhere that leaves the page's audience."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from csphub.meetings import services as meeting_services
from csphub.panels.choices import CaseStatus
from tests.factories import MembershipFactory

NAME = "Jayden Okoro"  # tests/partnership.py gives the case's person this name


def _case_url(world):
    return reverse("panels:case_detail", args=[world.case.pk])


def _person_url(world):
    return reverse("people:person_detail", args=[world.person.reference])


@pytest.mark.parametrize("who", ["owner", "colleague"])
def test_the_owning_agency_sees_the_name_on_case_and_person_pages(client_for, world, who):
    client = client_for(getattr(world, who))
    for url in (_case_url(world), _person_url(world)):
        page = client.get(url).content.decode()
        assert NAME in page, url
        assert "17 May 2009" not in page and "Example Road" not in page, url


def test_an_outsider_gets_not_found_and_no_name(client_for, world):
    client = client_for(world.outsider)
    for url in (_case_url(world), _person_url(world)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Okoro" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    for url in (_case_url(world), _person_url(world)):
        response = client.get(url)
        assert response.status_code == 302 and "Okoro" not in response.content.decode()


def test_case_list_and_export_keep_references(client_for, world):
    client = client_for(world.coordinator)
    listing = client.get(reverse("panels:case_list")).content.decode()
    assert world.case.reference in listing and "Okoro" not in listing
    export = client.get(reverse("panels:case_export")).content.decode()
    assert world.case.reference in export and "Okoro" not in export


@pytest.fixture
def meeting(world):
    # Still to come: a meeting whose day is over takes no new agenda.
    day = timezone.localdate() + timedelta(days=14)
    meeting = meeting_services.do_schedule_meeting(
        actor=world.coordinator,
        panel=world.vip,
        scheduled_for=timezone.make_aware(datetime.combine(day, time(14))),
        location="Room 1",
        chair=world.coordinator,
    )
    world.case.status, world.case.review_due = CaseStatus.ACTIVE, day
    world.case.save()
    meeting_services.do_generate_agenda(actor=world.coordinator, meeting=meeting)
    return meeting


def test_the_agenda_names_the_person_for_the_panel_but_circulated_minutes_do_not(
    client_for, world, meeting
):
    client = client_for(world.member)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert f"Case {world.case.reference}: {NAME}" in page
    docx = client.get(reverse("meetings:minutes_docx", args=[meeting.pk])).content
    document = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert world.case.reference in text and "Okoro" not in text


def test_a_member_of_another_panel_sees_neither_the_case_nor_the_name(
    client_for, world, meeting, make_user
):
    from csphub.accounts.roles import PRACTITIONER

    elsewhere = make_user(PRACTITIONER, agency=world.school)
    MembershipFactory(panel=world.crest, user=elsewhere)
    response = client_for(elsewhere).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert "Okoro" not in response.content.decode()


def test_the_partnership_setting_restores_references_on_the_agenda(
    client_for, world, meeting, settings
):
    settings.NAMES_ON_PAGES = False
    page = (
        client_for(world.member)
        .get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        .content.decode()
    )
    assert f"Case {world.case.reference}" in page and "Okoro" not in page
