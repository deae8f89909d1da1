"""`csphub demo`: load (or refresh) the demo partnership. Safe to run again.

It is accounts' because it ends with the demo sign-ins; every app's records come from the
loaders named in settings.DEMO_LOADERS.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

SIGN_INS = """
Demo sign-ins (password for all: {password})
  admin@bexley.demo       CSP administrator   (two-factor)
  analyst@bexley.demo     analyst
  crest@bexley.demo       CREST co-ordinator  (two-factor)
  vip@bexley.demo         VIP co-ordinator    (two-factor)
  executive@bexley.demo   executive
  dpo@bexley.demo         data protection officer (two-factor)
  officer@met.demo        practitioner, police
  worker@childrens.demo   practitioner, children's social care
  teacher@school.demo     practitioner, education
  outreach@charity.demo   practitioner, commissioned provider
Two-factor users: authenticator key {totp}, or run `csphub demo_code` for the current code.
"""


class Command(BaseCommand):
    help = "Load the demo partnership (Bexley): agencies, sign-ins and demo data. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo cannot be loaded under production settings.")
        from csphub.accounts.demo import DEMO_TOTP_BASE32

        for dotted in settings.DEMO_LOADERS:
            self.stdout.write(f"Loading {dotted.split('.')[1]} …")
            import_string(dotted)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo partnership ready."))
        self.stdout.write(SIGN_INS.format(password=settings.DEMO_PASSWORD, totp=DEMO_TOTP_BASE32))
