"""`csphub audit verify`: recompute the audit hash chain and name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csphub.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' recomputes the hash chain and names the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify: check the hash chain")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit trail BROKEN at event #{report.broken_seq}: {report.reason}. "
                f"{report.checked} event(s) before it verified."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit trail intact: {report.checked} events verified.")
        )
