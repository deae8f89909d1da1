"""Reminders to action leads whose quarterly update is due: one e-mail per lead per quarter,
with no personal data (action numbers and links that ask the reader to sign in), sent as the
action reminders are (the e-mail first, then the record that it went, so a failure is retried).

An update for a quarter is due from the first day of the quarter's last month until the end of
the month after the quarter (the VRU's return goes in during that month).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from csphub.audit import record
from csphub.lib.periods import quarter_of
from csphub.vvrap import verbs
from csphub.vvrap.choices import UpdateStatus
from csphub.vvrap.models import Plan, PlanItem, UpdateReminder
from csphub.vvrap.selectors import current_quarter, previous_quarter, quarter_label


def due_quarter(today: date) -> tuple[int, int] | None:
    """The quarter whose update is due on TODAY, if any."""
    year, number = current_quarter(today)
    months_in = (today.month - quarter_of(today).start.month) % 12
    if months_in == 2:
        return year, number
    if months_in == 0:
        return previous_quarter(year, number)
    return None


def reminder_text(items: list[PlanItem], *, year: int, quarter: int, base_url: str) -> str:
    base = base_url.rstrip("/")
    lines = [
        f"The quarterly update on the action plan for {quarter_label(year, quarter)} is due for "
        "these actions you lead. Sign in to write it and send it for sign-off.",
        "",
    ]
    for item in items:
        link = reverse("vvrap:update_edit", args=[item.pk])
        lines.append(f"- Action {item.number}: {base}{link}?quarter={year}-{quarter}")
    lines += [
        "",
        f"{settings.SERVICE_NAME}, {settings.PARTNERSHIP_NAME}.",
        "This e-mail holds no personal details. Do not reply to it.",
    ]
    return "\n".join(lines)


def send_update_reminders(*, today: date, base_url: str) -> int:
    """E-mail each lead with an update due and not yet sent for sign-off; return e-mails sent."""
    due = due_quarter(today)
    plan = Plan.objects.filter(is_current=True).first()
    if due is None or plan is None:
        return 0
    year, number = due
    done = UpdateStatus.SUBMITTED, UpdateStatus.SIGNED_OFF
    reminded = UpdateReminder.objects.filter(year=year, quarter=number).values("lead_id")
    items = (
        plan.items.filter(lead__is_active=True)
        .exclude(lead__email="")
        .exclude(lead_id__in=reminded)
        .exclude(updates__year=year, updates__quarter=number, updates__status__in=done)
        .select_related("lead")
        .order_by("lead_id", "theme__position", "number")
    )
    by_lead: dict[object, list[PlanItem]] = defaultdict(list)
    for item in items:
        by_lead[item.lead_id].append(item)
    sent = 0
    for mine in by_lead.values():
        lead = mine[0].lead
        count = len(mine)
        send_mail(
            f"Action plan: {count} quarterly update{'s' if count != 1 else ''} due",
            reminder_text(mine, year=year, quarter=number, base_url=base_url),
            settings.DEFAULT_FROM_EMAIL,
            [lead.email],
        )
        with transaction.atomic():
            reminder = UpdateReminder.objects.create(
                lead=lead, year=year, quarter=number, sent_on=today, actions=count
            )
            record(
                verb=verbs.REMINDER_SENT,
                actor=None,
                target=reminder,
                payload={"lead": str(lead.pk), "quarter": f"{year}Q{number}", "actions": count},
            )
        sent += 1
    return sent
