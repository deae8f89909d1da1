"""`csphub retention`: what the retention schedule says should go, and (with --apply) going."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from csphub.governance.schedules import SCHEDULES, moratorium_on
from csphub.governance.services import RetentionOutcome, do_apply_retention


class Command(BaseCommand):
    help = (
        "List the records past their retention period (docs/governance.md) and why; with "
        "--apply, delete or anonymise them. Records the IICSA moratorium holds are listed and "
        "kept. Every run, dry or not, is recorded in the audit trail with its counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Delete and anonymise what is due (without it, a dry run that changes nothing).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Treat this day (YYYY-MM-DD) as today; for testing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        apply = options["apply"]
        outcome = do_apply_retention(today=today, apply=apply)
        self._report(outcome, today)

    def _report(self, outcome: RetentionOutcome, today: date) -> None:
        out = self.stdout.write
        mode = "Applying" if outcome.applied else "Dry run (nothing changed; --apply to act)"
        out(f"{mode}: the retention schedule on {today.isoformat()}.")
        if moratorium_on():
            out(
                "The IICSA moratorium is on: child-abuse-related records past their period "
                "are kept."
            )
        for s in SCHEDULES:
            out(f"- {s.key}: {s.period}; then: {s.then}.")
        for d in outcome.due:
            out(d.line(applied=outcome.applied))
        for person in outcome.people:
            verb = "anonymised" if outcome.applied else "would be anonymised"
            out(f"person {person.reference}: no case or referral left about them, {verb}")
        out(
            f"audit_event: {outcome.audit_events_past_period} past their period, kept "
            "(the trail is append-only)"
        )
        due = len(outcome.due) - sum(outcome.held.values())
        if outcome.applied:
            out(
                f"Deleted {sum(outcome.deleted.values())} record(s) and "
                f"{outcome.documents_deleted} document(s); anonymised {outcome.anonymised} "
                f"person(s); held {sum(outcome.held.values())}."
            )
        else:
            out(
                f"Due: {due} record(s) to delete, {len(outcome.people)} person(s) to "
                f"anonymise; held {sum(outcome.held.values())}."
            )
