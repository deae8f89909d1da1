"""Retry the notification e-mails that failed, and tell action owners of actions due tomorrow."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from csphub.notifications.services import retry_unsent


class Command(BaseCommand):
    help = (
        "Send again every notification e-mail that failed (up to NOTIFICATION_EMAIL_ATTEMPTS "
        "tries each). Run it every few minutes; a change is saved whether or not its e-mail goes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = retry_unsent()
        self.stdout.write(f"{sent} notification e-mail{'s' if sent != 1 else ''} sent.")
