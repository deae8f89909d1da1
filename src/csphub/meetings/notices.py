"""Telling action owners (csphub.notifications): an action assigned, an action due tomorrow.
References and links only, as in the overdue reminders (csphub.meetings.reminders)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from csphub.meetings.choices import OPEN_ACTION_STATUSES
from csphub.meetings.models import Action
from csphub.notifications.choices import NotificationKind
from csphub.notifications.services import notify
from csphub.panels.selectors import cases_visible_to


def _what(action: Action, *, case_visible: bool = True) -> str:
    if action.case is not None:
        if not case_visible:
            return f"An action for {action.heading} on a case you can no longer open"
        return f"Action on case {action.case.reference}"
    if action.meeting is not None:
        return f"Action for the {action.heading} meeting of {action.meeting.scheduled_for:%d %B %Y}"
    # A plan item's milestone or a grant's condition: no meeting, no case, nothing personal.
    return f"Action for {action.heading}"


def action_assigned(action: Action, *, actor: Any) -> None:
    """Tell the owner of a new action that it is theirs (not when they set it themselves)."""
    notify(
        recipients=[action.owner],
        kind=NotificationKind.ACTION_ASSIGNED,
        message=f"{_what(action)} assigned to you, due {action.due_on:%d %B %Y}",
        path=reverse("meetings:action_detail", args=[action.pk]),
        exclude=actor,
    )


def notify_actions_due_tomorrow(*, today: date) -> int:
    """Tell each owner of an open action due tomorrow, once per action; return how many."""
    tomorrow = today + timedelta(days=1)
    due = Action.objects.filter(
        status__in=OPEN_ACTION_STATUSES, due_on=tomorrow, owner__is_active=True
    ).select_related("owner", "case__panel", "meeting__panel", "plan_item__plan__board", "grant")
    told = 0
    for action in due.order_by("owner_id", "pk"):
        visible = action.case_id is None or (
            cases_visible_to(action.owner).filter(pk=action.case_id).exists()
        )
        told += len(
            notify(
                recipients=[action.owner],
                kind=NotificationKind.ACTION_DUE,
                message=f"{_what(action, case_visible=visible)} is due tomorrow, "
                f"{tomorrow:%d %B %Y}",
                path=reverse("meetings:action_detail", args=[action.pk]),
                key=f"{action.pk}:{tomorrow.isoformat()}",
            )
        )
    return told
