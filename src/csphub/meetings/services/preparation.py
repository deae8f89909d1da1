"""Before a meeting: asking partner agencies for their research on each case on its agenda, and
their answers, which the meeting's pack (its minutes) collects."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.audit import record
from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.meetings import verbs
from csphub.meetings.models import InformationRequest, Meeting
from csphub.meetings.selectors import (
    agencies_to_ask,
    agenda_visible_to,
    information_requests_answerable_by,
    may_answer,
    meetings_run_by,
)
from csphub.notifications.choices import NotificationKind
from csphub.notifications.services import notify
from csphub.panels.models import PanelMembership
from csphub.panels.services import record_case_event

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_request_information(
    *,
    actor: User,
    meeting: Meeting,
    agencies: list[Agency],
    due_on: date,
    request: HttpRequest | None = None,
) -> list[InformationRequest]:
    """Ask each of AGENCIES for its research on every case on MEETING's agenda, due by DUE_ON
    (before the meeting). Asking an agency again about a case it has not answered moves the
    due date; an answered request is left as it is. Each asked agency's panel members who may
    open a case asked about are told, by reference and link only, after commit."""
    if not meetings_run_by(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied("Only the panel's co-ordinator can do this.")
    if meeting.has_passed():
        raise ServiceError("This meeting has taken place: ask before the next one.")
    if not agencies:
        raise ServiceError({"agencies": "Choose at least one agency to ask"})
    allowed = set(agencies_to_ask(meeting).values_list("pk", flat=True))
    if any(a.pk not in allowed for a in agencies):
        raise ServiceError({"agencies": "Choose agencies with someone on the panel to answer"})
    today = timezone.localdate()
    if not today <= due_on < meeting.meeting_date:
        raise ServiceError(
            {
                "due_on": f"The due date must be from today and before the meeting on "
                f"{meeting.meeting_date:%d %B %Y}"
            }
        )
    # The co-ordinator asks about the cases they may open, as the agenda shows them.
    items = list(agenda_visible_to(actor, meeting))
    if not items:
        raise ServiceError("There are no cases on the agenda to ask about.")
    with transaction.atomic():
        made = []
        for agency in agencies:
            for item in items:
                asked, created = InformationRequest.objects.get_or_create(
                    item=item,
                    agency=agency,
                    defaults={"due_on": due_on, "requested_by": actor},
                )
                if not created and not asked.is_answered:
                    InformationRequest.objects.filter(pk=asked.pk).update(due_on=due_on)
                    asked.due_on = due_on
                made.append(asked)
        _tell_asked(meeting, agencies, due_on, actor)
        record(
            verb=verbs.INFORMATION_REQUESTED,
            actor=actor,
            target=meeting,
            request=request,
            payload={
                "agencies": [str(a.pk) for a in agencies],
                "cases": len(items),
                "due_on": due_on.isoformat(),
            },
        )
    return made


def _tell_asked(meeting: Meeting, agencies: list[Agency], due_on: date, actor: User) -> None:
    """Each asked agency's members on the panel, of the requests they may answer."""
    members = PanelMembership.objects.filter(
        panel_id=meeting.panel_id, user__agency__in=agencies, user__is_active=True
    ).select_related("user")
    for membership in members:
        count = (
            information_requests_answerable_by(membership.user)
            .filter(item__meeting=meeting, answered_at__isnull=True)
            .count()
        )
        if not count:
            continue
        notify(
            recipients=[membership.user],
            kind=NotificationKind.INFORMATION_REQUESTED,
            message=f"Your agency's research is asked for on {count} "
            f"case{'' if count == 1 else 's'} before the {meeting.panel.name} meeting of "
            f"{meeting.meeting_date:%d %B %Y}, due {due_on:%d %B %Y}",
            path=reverse("meetings:information_requests"),
            exclude=actor,
        )


def do_answer_information_request(
    *,
    actor: User,
    information_request: InformationRequest,
    answer: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> InformationRequest:
    """A member of the asked agency who sits on the panel and may open the case gives its
    research. It goes on the case's timeline, read only by those who may open the case.

    Raises EditConflict if a colleague answered since EXPECTED_VERSION was read.
    """
    if not may_answer(actor, information_request):
        raise PermissionDenied("Only the asked agency's members on the panel can answer.")
    if not answer.strip():
        raise ServiceError({"answer": "Enter your agency's research on the case"})
    item = information_request.item
    meeting = item.meeting
    with transaction.atomic():
        first = not information_request.is_answered
        save_if_unchanged(
            information_request,
            expected_version=expected_version,
            fields={
                "answer": answer.strip(),
                "answered_at": timezone.now(),
                "answered_by": actor,
            },
        )
        record_case_event(
            verb=verbs.INFORMATION_GIVEN,
            actor=actor,
            case=item.case,
            target=information_request,
            summary=f"{'Research' if first else 'Research revised'} from "
            f"{information_request.agency.name} for the {meeting.panel.name} meeting of "
            f"{meeting.meeting_date:%d %B %Y}",
            detail=information_request.answer,
            source=information_request,
            request=request,
            payload={
                "meeting": str(meeting.pk),
                "item": str(item.pk),
                "agency": str(information_request.agency_id),
                "revised": not first,
            },
        )
    return information_request
