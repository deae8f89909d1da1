"""`csphub audit verify|checkpoint`: check the audit hash chain, and anchor its head outside the
database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csphub.audit.chain import ChainReport
from csphub.audit.checkpoints import (
    CheckpointFileError,
    append_checkpoint,
    checkpoint_path,
    read_checkpoints,
)
from csphub.audit.selectors import VERIFY_CHUNK, check_head, newest_seq, verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'verify' recomputes the keyed hash chain, holds it to every"
        " checkpoint in AUDIT_CHECKPOINT_FILE and names the first broken link; when the trail"
        " is intact it appends a checkpoint of the newest event. 'checkpoint' (a daily job)"
        " appends a checkpoint of the newest event after checking it against the latest one."
        " Both exit non-zero on a broken trail and then write no checkpoint."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["verify", "checkpoint"],
            help="verify: check the whole chain; checkpoint: record the newest event",
        )
        parser.add_argument(
            "--chunk",
            type=int,
            default=VERIFY_CHUNK,
            help=f"events read per query by verify (default {VERIFY_CHUNK:,}); memory holds one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoints = read_checkpoints()
        except CheckpointFileError as error:
            raise CommandError(f"Audit checkpoints cannot be read: {error}.") from error
        if options["action"] == "verify":
            if options["chunk"] < 1:
                raise CommandError("--chunk must be at least 1.")
            report = verify_chain(
                checkpoints, chunk_size=options["chunk"], progress=self._progress(newest_seq())
            )
            self._refuse_if_broken(report, f"{report.checked} event(s) before it verified.")
            done = f"Audit trail intact: {report.checked} events verified"
        else:
            report = check_head(checkpoints)
            self._refuse_if_broken(report, "No checkpoint written.")
            done = "Audit trail head checked"
        if report.head_seq and not checkpoints:
            self.stderr.write(
                f"No earlier checkpoint at {checkpoint_path()}: nothing anchored the newest events"
                " until now. Expected on the first run only; otherwise compare with the copies"
                " in the log or e-mail."
            )
        checkpoint = append_checkpoint(report.head_seq, report.head_hash)
        self.stdout.write(
            self.style.SUCCESS(
                f"{done}, against {len(checkpoints)} earlier checkpoint(s). Checkpoint of"
                f" #{checkpoint.seq} {checkpoint.hash} appended to {checkpoint_path()}."
            )
        )

    def _progress(self, total: int) -> Callable[[int], None]:
        """Report each chunk read on stderr, so a long walk shows it is moving (stdout keeps the
        result)."""

        def report(done: int) -> None:
            share = f" ({done / total:.0%})" if total else ""
            self.stderr.write(f"Verifying: {done:,} of {total:,} events read{share}")

        return report

    def _refuse_if_broken(self, report: ChainReport, after: str) -> None:
        if not report.ok:
            raise CommandError(
                f"Audit trail BROKEN at event #{report.broken_seq}: {report.reason}. {after}"
            )
