"""A meeting's calendar invitation (iCalendar, RFC 5545), sent with its circulated agenda and
offered on the meeting page.

It says which panel meets, when and where, and links to the meeting page: no case, no
person. Its UID is the meeting's own, and its SEQUENCE counts the circulations, so a calendar
that has the invitation already updates it rather than adding a second one.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from csphub.meetings.models import Meeting

#: How long a meeting is taken to last in the invitation (the service records only a start).
MEETING_LENGTH = timedelta(hours=2)
CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def invitation_uid(meeting: Meeting) -> str:
    """The meeting's identity in calendars: its id at the service's host."""
    host = urlsplit(settings.SITE_URL).hostname or "csphub"
    return f"meeting-{meeting.pk}@{host}"


def invitation_name(meeting: Meeting) -> str:
    """The file's name says which panel and when; never who."""
    return f"meeting-{meeting.panel.slug}-{meeting.meeting_date:%Y-%m-%d}.ics"


def invitation_ics(meeting: Meeting) -> str:
    """MEETING as an iCalendar file's text."""
    link = f"{settings.SITE_URL}{reverse('meetings:meeting_detail', args=[meeting.pk])}"
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PARTNERSHIP_NAME}//{settings.SERVICE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", invitation_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.scheduled_for)
    event.add("dtend", meeting.scheduled_for + MEETING_LENGTH)
    event.add("sequence", meeting.agenda_circulations)
    event.add("summary", f"{meeting.panel.name} meeting")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", f"The agenda and papers are in {settings.SERVICE_NAME}: {link}")
    event.add("url", link)
    calendar.add_component(event)
    return calendar.to_ical().decode()
