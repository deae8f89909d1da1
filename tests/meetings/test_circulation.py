"""The agenda circulated by e-mail with a calendar invitation, after commit, naming no one; and a
meeting whose day is over takes no new agenda."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from csphub.audit.models import AuditEvent
from csphub.meetings import services
from csphub.notifications.models import Notification
from tests.factories import PersonFactory
from tests.meetings.conftest import MEETING_DAY, at


@pytest.fixture
def agenda(world):
    """The meeting's agenda drawn up, one case about a named child."""
    items = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    child = PersonFactory(given_name="Kemi", family_name="Adebayo")
    items[0].case.subjects.create(person=child, role="at_risk")
    world.items = items
    return world


def _circulate(w, capture):
    sent = len(mail.outbox)
    with capture(execute=True):
        told = services.do_circulate_agenda(actor=w.coordinator, meeting=w.meeting)
        assert len(mail.outbox) == sent  # nothing leaves before the circulation is saved
    return told


def test_each_member_gets_the_agenda_with_an_invitation(agenda, django_capture_on_commit_callbacks):
    assert _circulate(agenda, django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@example.test", "member@example.test"]
    email = next(m for m in mail.outbox if m.to == ["member@example.test"])
    day = f"{MEETING_DAY:%d %B %Y}"
    assert email.subject == (
        f"Agenda for the Violence Intervention Panel meeting of {day} at 14:00, Room 1: "
        "2 cases, 0 topics"
    )
    link = reverse("meetings:meeting_detail", args=[agenda.meeting.pk])
    assert link in email.body
    [(name, content, mimetype)] = email.attachments
    assert name == f"meeting-vip-{MEETING_DAY:%Y-%m-%d}.ics"
    assert mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == at(MEETING_DAY)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert str(event["location"]) == "Room 1"
    assert str(event["uid"]) == f"meeting-{agenda.meeting.pk}@127.0.0.1"
    assert event["sequence"] == 1
    assert link in str(event["description"])


def test_the_email_and_invitation_name_no_one(agenda, django_capture_on_commit_callbacks):
    _circulate(agenda, django_capture_on_commit_callbacks)
    for email in mail.outbox:
        text = email.subject + email.body + email.attachments[0][1]
        for word in ("Kemi", "Adebayo", agenda.items[0].case.reference):
            assert word not in text


def test_circulating_again_updates_the_same_calendar_entry(
    agenda, django_capture_on_commit_callbacks
):
    _circulate(agenda, django_capture_on_commit_callbacks)
    _circulate(agenda, django_capture_on_commit_callbacks)
    last = [m for m in mail.outbox if m.to == ["member@example.test"]][-1]
    [event] = Calendar.from_ical(last.attachments[0][1]).walk("VEVENT")
    assert event["sequence"] == 2
    assert Notification.objects.filter(recipient=agenda.member).count() == 2
    assert AuditEvent.objects.filter(verb="meeting.agenda_circulated").count() == 2


def test_only_the_panels_coordinator_circulates_the_agenda(agenda):
    for actor in (agenda.member, agenda.outsider, agenda.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.do_circulate_agenda(actor=actor, meeting=agenda.meeting)
    assert not Notification.objects.exists()
    agenda.meeting.refresh_from_db()
    assert agenda.meeting.agenda_circulations == 0


def test_the_circulate_button_sends_and_says_so(client_for, agenda):
    url = reverse("meetings:agenda_circulate", args=[agenda.meeting.pk])
    assert client_for(agenda.member).post(url).status_code == 403
    assert client_for(agenda.other_coordinator).post(url).status_code == 404
    assert client_for(agenda.outsider).post(url).status_code == 403
    assert Client().post(url).status_code == 302
    assert not Notification.objects.exists()
    response = client_for(agenda.coordinator).post(url, follow=True)
    assert "Agenda sent to 2 members of the panel." in response.content.decode()
    assert Notification.objects.filter(kind="agenda_circulated").count() == 2


def test_members_download_the_invitation_others_do_not(client_for, agenda):
    url = reverse("meetings:meeting_invitation", args=[agenda.meeting.pk])
    response = client_for(agenda.member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == at(MEETING_DAY)
    assert client_for(agenda.outsider).get(url).status_code == 404
    assert client_for(agenda.other_coordinator).get(url).status_code == 404
    assert Client().get(url).status_code == 302


@pytest.fixture
def held(world):
    """A meeting of the panel held yesterday."""
    yesterday = timezone.localdate() - timedelta(days=1)
    world.held = services.do_schedule_meeting(
        actor=world.coordinator, panel=world.panel, scheduled_for=at(yesterday)
    )
    return world


def test_a_past_meeting_takes_no_new_agenda(held):
    with pytest.raises(ValidationError):
        services.do_generate_agenda(actor=held.coordinator, meeting=held.held)
    with pytest.raises(ValidationError):
        services.do_circulate_agenda(actor=held.coordinator, meeting=held.held)
    assert not held.held.items.exists()


def test_a_meeting_today_still_takes_its_agenda(world):
    today = services.do_schedule_meeting(
        actor=world.coordinator, panel=world.panel, scheduled_for=at(timezone.localdate(), 23)
    )
    assert [i.case for i in services.do_generate_agenda(actor=world.coordinator, meeting=today)]


def test_a_past_meeting_page_offers_no_generate_button(client_for, held):
    def page(meeting):
        url = reverse("meetings:meeting_detail", args=[meeting.pk])
        return client_for(held.coordinator).get(url).content.decode()

    assert "Generate the agenda" in page(held.meeting)
    assert "Circulate the agenda" in page(held.meeting)
    past = page(held.held)
    assert "Generate the agenda" not in past
    assert "Circulate the agenda" not in past
    response = client_for(held.coordinator).post(
        reverse("meetings:agenda_generate", args=[held.held.pk]), follow=True
    )
    assert "This meeting has taken place" in response.content.decode()
    assert not held.held.items.exists()
