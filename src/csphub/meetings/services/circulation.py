"""Circulating a meeting's agenda to its panel: an e-mail with the calendar invitation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from csphub.audit import record
from csphub.core.errors import ServiceError
from csphub.meetings import verbs
from csphub.meetings.invitations import CONTENT_TYPE, invitation_ics, invitation_name
from csphub.meetings.models import Meeting
from csphub.meetings.selectors import meetings_run_by
from csphub.notifications.choices import NotificationKind
from csphub.notifications.services import notify

if TYPE_CHECKING:
    from csphub.accounts.models import User


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def do_circulate_agenda(
    *, actor: User, meeting: Meeting, request: HttpRequest | None = None
) -> int:
    """E-mail the agenda of MEETING to every active member of its panel who sees its meetings,
    with its calendar invitation attached, once the circulation is saved; return how many
    were told. The e-mail gives the panel, time, place and how many cases: no reference a
    member may not open, no name.
    """
    if not meetings_run_by(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied("Only the panel's co-ordinator can do this.")
    if meeting.has_passed():
        raise ServiceError("This meeting has taken place: its agenda is no longer circulated.")
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(
            agenda_circulated_at=timezone.now(), agenda_circulations=F("agenda_circulations") + 1
        )
        meeting.refresh_from_db(fields=["agenda_circulated_at", "agenda_circulations"])
        members = [
            m.user
            for m in meeting.panel.memberships.select_related("user")
            if m.user.is_active and m.user.has_perm("meetings.view_meetings")
        ]
        local = timezone.localtime(meeting.scheduled_for)
        where = f", {meeting.location}" if meeting.location else ""
        told = notify(
            recipients=members,
            kind=NotificationKind.AGENDA_CIRCULATED,
            message=f"Agenda for the {meeting.panel.name} meeting of {local:%d %B %Y at %H:%M}"
            f"{where}: {_plural(meeting.items.count(), 'case')}, "
            f"{_plural(meeting.topics.count(), 'topic')}",
            path=reverse("meetings:meeting_detail", args=[meeting.pk]),
            key=f"{meeting.pk}:{meeting.agenda_circulations}",
            attachment=(invitation_name(meeting), invitation_ics(meeting), CONTENT_TYPE),
        )
        record(
            verb=verbs.AGENDA_CIRCULATED,
            actor=actor,
            target=meeting,
            request=request,
            payload={"recipients": len(told), "sequence": meeting.agenda_circulations},
        )
    return len(told)
