"""Attendance by named person, apologies and the quorum: recorded by the co-ordinator, shown on
the meeting page and in the minutes."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document

from csphub.accounts.roles import PRACTITIONER
from csphub.meetings import services
from csphub.meetings.models import PersonAttendance
from csphub.meetings.quorum import quorum_of
from tests.factories import MembershipFactory


@pytest.fixture
def quorate(world, make_user):
    """The panel needs one police member and one council member present."""
    world.panel.quorum = {"police": 1, "community_safety": 1}
    world.panel.save()
    world.officer = make_user(PRACTITIONER, agency=world.police, full_name="Lee Carter")
    MembershipFactory(panel=world.panel, user=world.officer)
    return world


def _record(w, **statuses):
    services.do_record_attendance(
        actor=w.coordinator,
        meeting=w.meeting,
        entries=[],
        people=[(getattr(w, who), status) for who, status in statuses.items()],
    )


def test_people_and_their_apologies_are_recorded_with_their_agency(quorate):
    _record(quorate, coordinator="present", member="apologies", officer="absent")
    recorded = {
        (a.person.full_name, a.agency.name, a.status)
        for a in PersonAttendance.objects.filter(meeting=quorate.meeting)
    }
    assert recorded == {
        ("Sam Okafor", "Council Community Safety", "present"),
        ("Dana Reid", "Metropolitan Police", "apologies"),
        ("Lee Carter", "Metropolitan Police", "absent"),
    }


def test_the_quorum_counts_only_those_present(quorate):
    # The council's co-ordinator is there; both police members are not.
    _record(quorate, coordinator="present", member="apologies", officer="absent")
    quorum = quorum_of(quorate.meeting)
    assert not quorum.met
    assert quorum.shortfalls == ["The quorum needs 1 Police member present; 0 present"]
    assert [a.person for a in quorum.apologies] == [quorate.member]
    # Recording again replaces what was there: now an officer came.
    _record(quorate, officer="present")
    assert quorum_of(quorate.meeting).met
    assert quorum_of(quorate.meeting).summary == "Quorate."


def test_a_panel_without_a_quorum_says_so(world):
    _record(world, member="present")
    quorum = quorum_of(world.meeting)
    assert (quorum.needed, quorum.met) == (False, False)
    assert quorum.summary == "This panel has no quorum set."


def test_only_members_of_the_panel_are_recorded_by_name(quorate):
    with pytest.raises(ValidationError):
        _record(quorate, outsider="present")
    assert not PersonAttendance.objects.exists()


def test_only_the_panels_coordinator_records_attendance(quorate):
    for actor in (quorate.member, quorate.outsider, quorate.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.do_record_attendance(
                actor=actor,
                meeting=quorate.meeting,
                entries=[],
                people=[(quorate.member, "present")],
            )
    assert not PersonAttendance.objects.exists()


def test_the_meeting_page_shows_names_apologies_and_quorum(client_for, quorate):
    _record(quorate, coordinator="present", member="apologies", officer="absent")
    url = reverse("meetings:meeting_detail", args=[quorate.meeting.pk])
    for viewer in (quorate.coordinator, quorate.member):
        page = client_for(viewer).get(url).content.decode()
        assert "Not quorate: The quorum needs 1 Police member present; 0 present." in page
        assert "Dana Reid (Metropolitan Police)" in page
    assert client_for(quorate.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_attendance_form_records_people_by_name(client_for, quorate):
    police, council = quorate.police.pk, quorate.council.pk
    response = client_for(quorate.coordinator).post(
        reverse("meetings:attendance_edit", args=[quorate.meeting.pk]),
        {
            "version": quorate.meeting.attendance_version,
            f"person_{quorate.coordinator.pk}": "present",
            f"person_{quorate.member.pk}": "present",
            f"person_{quorate.officer.pk}": "apologies",
            f"status_{police}": "present",
            f"rep_{police}": "",
            f"status_{council}": "present",
            f"rep_{council}": "",
        },
    )
    assert response.status_code == 302
    assert quorum_of(quorate.meeting).met
    assert [a.person for a in quorum_of(quorate.meeting).apologies] == [quorate.officer]


def test_the_minutes_name_who_came_and_who_sent_apologies(client_for, quorate):
    _record(quorate, coordinator="present", member="apologies", officer="present")
    body = client_for(quorate.coordinator).get(
        reverse("meetings:minutes_docx", args=[quorate.meeting.pk])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(body.content)).paragraphs)
    assert (
        "Present: Sam Okafor (Council Community Safety), Lee Carter (Metropolitan Police)." in text
    )
    assert "Apologies: Dana Reid (Metropolitan Police)." in text
    assert "Quorum: Quorate." in text


def test_on_a_panel_with_seats_the_quorum_counts_seats_not_agencies(quorate):
    """Where the NRM app seats the panel's members, a police officer on the health seat counts
    as health, and a member without a seat counts under none."""
    from csphub.nrm.models import PanelSeat

    quorate.panel.quorum = {"police": 1, "health": 1}
    quorate.panel.save()
    seated = quorate.panel.memberships.get(user=quorate.member)
    PanelSeat.objects.create(membership=seated, seat="health")
    _record(quorate, member="present", officer="present", coordinator="present")
    quorum = quorum_of(quorate.meeting)
    # The officer is police by agency but holds no seat on this seated panel.
    assert quorum.shortfalls == ["The quorum needs 1 Police member present; 0 present"]
    PanelSeat.objects.create(
        membership=quorate.panel.memberships.get(user=quorate.officer), seat="police"
    )
    assert quorum_of(quorate.meeting).met
