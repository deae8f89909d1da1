"""Overdue-action reminders by e-mail: at most one a day per action, no personal data.

An e-mail can be forwarded or read on a phone, so it carries only what identifies the work to
its owner: the panel, the due date, the case's pseudonymous reference and a link that asks them
to sign in. The action's wording stays behind the sign-in.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from csphub.audit import record
from csphub.meetings.choices import OPEN_ACTION_STATUSES
from csphub.meetings.models import Action


def _meeting_action_ref(action: Action) -> str:
    """A meeting action by its place's pseudonymous reference: its theme is free text, which
    stays behind the sign-in like the action's wording."""
    place = f", place {action.place.reference}" if action.place else ""
    return f"action for the meeting{place}"


def reminder_text(actions: list[Action], *, base_url: str, today: date) -> str:
    lines = [
        "You own actions agreed at a partnership panel meeting that are now overdue.",
        "Sign in to see and update them.",
        "",
    ]
    for action in actions:
        days = (today - action.due_on).days
        ref = f"case {action.case.reference}" if action.case else _meeting_action_ref(action)
        lines.append(
            f"- {action.meeting.panel.name}, {ref}: due {action.due_on:%d %B %Y} "
            f"({days} day{'s' if days != 1 else ''} overdue)"
        )
        lines.append(
            f"  {base_url.rstrip('/')}{reverse('meetings:action_detail', args=[action.pk])}"
        )
    lines += [
        "",
        f"{settings.SERVICE_NAME}, {settings.PARTNERSHIP_NAME}.",
        "This e-mail holds no personal details. Do not reply to it.",
    ]
    return "\n".join(lines)


def send_action_reminders(*, today: date, base_url: str) -> int:
    """E-mail each owner of an overdue action not yet reminded today; return e-mails sent."""
    due = (
        Action.objects.filter(
            status__in=OPEN_ACTION_STATUSES, due_on__lt=today, owner__is_active=True
        )
        .exclude(last_reminded_on=today)
        .exclude(owner__email="")
        .select_related("owner", "case", "place", "meeting__panel")
        .order_by("owner_id", "due_on")
    )
    by_owner: dict[object, list[Action]] = defaultdict(list)
    for action in due:
        by_owner[action.owner_id].append(action)
    sent = 0
    for actions in by_owner.values():
        owner = actions[0].owner
        count = len(actions)
        subject = f"{count} overdue panel action{'s' if count != 1 else ''}"
        send_mail(
            subject,
            reminder_text(actions, base_url=base_url, today=today),
            settings.DEFAULT_FROM_EMAIL,
            [owner.email],
        )
        # Marked only once the e-mail has gone, so a failure is retried by the next run.
        with transaction.atomic():
            Action.objects.filter(pk__in=[a.pk for a in actions]).update(last_reminded_on=today)
            for action in actions:
                record(
                    verb="meeting.action_reminder_sent",
                    actor=None,
                    target=action,
                    payload={"owner": str(owner.pk), "days_overdue": (today - action.due_on).days},
                )
        sent += 1
    return sent
