"""`csphub send_action_reminders`: e-mail owners of overdue panel actions, and each panel
co-ordinator a digest of their panels' overdue actions; tell owners of actions due tomorrow
(run daily)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from csphub.meetings.notices import notify_actions_due_tomorrow
from csphub.meetings.reminders import send_action_reminders, send_coordinator_digests


class Command(BaseCommand):
    help = (
        "E-mail the owner of every overdue panel action, and each panel co-ordinator a digest "
        "of their panels' overdue actions, and notify the owner of every action due tomorrow. "
        "Safe to run more than once a day: an action is reminded, a co-ordinator sent a "
        "digest and an owner told of an action due tomorrow, at most once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="Where the service is reached, for the links in the e-mails "
            "(default: the CSPHUB_BASE_URL setting, http://127.0.0.1:8000 unless set).",
        )
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today; for testing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        sent = send_action_reminders(today=today, base_url=options["base_url"])
        digests = send_coordinator_digests(today=today, base_url=options["base_url"])
        due = notify_actions_due_tomorrow(today=today)
        self.stdout.write(
            f"Sent {sent} reminder e-mail{'s' if sent != 1 else ''} and "
            f"{digests} co-ordinator digest{'s' if digests != 1 else ''}; "
            f"{due} owner{'s' if due != 1 else ''} told of actions due tomorrow."
        )
