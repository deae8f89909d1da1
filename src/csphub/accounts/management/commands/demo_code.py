"""`csphub demo_code`: the current two-factor code for the demo sign-ins (never in production)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from csphub.accounts.demo import DEMO_TOTP_HEX


class Command(BaseCommand):
    help = "Print the current 6-digit code for the demo two-factor users (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Not available under production settings.")
        code = totp(bytes.fromhex(DEMO_TOTP_HEX), step=30, t0=0, digits=6)
        remaining = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}  (valid for about {remaining} more seconds)")
