"""`csphub send_vvrap_reminders`: e-mail action leads whose quarterly update is due."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from csphub.vvrap.reminders import send_update_reminders


class Command(BaseCommand):
    help = (
        "E-mail each lead of an action in the current action plan whose quarterly update is "
        "due (from the quarter's last month to the end of the month after it) and not yet "
        "sent for sign-off. Safe to run daily: a lead is reminded once a quarter."
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
        sent = send_update_reminders(today=today, base_url=options["base_url"])
        self.stdout.write(f"Sent {sent} update reminder e-mail{'s' if sent != 1 else ''}.")
