"""`csphub restore FILE [--replace]`: put a backup archive back, after proving every file in it
against its manifest (docs/operations.md, *Backup and restore*)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from csphub.audit.checkpoints import checkpoint_path
from csphub.audit.selectors import verify_chain
from csphub.backups import database, files
from csphub.backups.archive import ArchiveDamaged, extract_verified


class Command(BaseCommand):
    help = (
        "Restore a backup archive written by `csphub backup` into this instance (same database"
        " engine). Every file is checked against the manifest first; a damaged archive restores"
        " nothing. An instance that already holds users, audit events, crime data or documents"
        " is refused unless --replace is given. Stop the service and scheduled jobs first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the .tar.gz written by csphub backup")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite an instance that is not empty (its records are lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        data_dir = Path(settings.DATA_DIR)
        data_dir.mkdir(parents=True, exist_ok=True)
        # Unpacked beside the data, so files move into place without a second copy.
        unpacked = Path(tempfile.mkdtemp(prefix=".csphub-restore-", dir=data_dir))
        try:
            self._restore(archive, unpacked, replace=options["replace"])
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)

    def _restore(self, archive: Path, unpacked: Path, *, replace: bool) -> None:
        try:
            manifest = extract_verified(archive, unpacked)
        except ArchiveDamaged as exc:
            raise CommandError(f"{archive} is damaged, nothing restored: {exc}.") from exc
        try:
            engine = database.engine()
        except database.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if manifest.engine != engine:
            raise CommandError(
                f"{archive} holds a {manifest.engine} database and this instance uses {engine}:"
                " restore it into an instance of the same engine. Nothing restored."
            )
        if not replace:
            reason = database.holds_records() or files.files_present()
            if reason:
                raise CommandError(
                    f"This instance is not empty ({reason}). Nothing restored; give --replace"
                    " to overwrite it."
                )
        try:
            database.restore(unpacked / database.MEMBER[engine])
        except database.BackupError as exc:
            raise CommandError(f"The database was not restored: {exc}.") from exc
        warehouse = files.put_warehouse(unpacked)
        documents = files.put_documents(unpacked)
        report = verify_chain({})
        expected = manifest.audit_head
        if not report.ok:
            raise CommandError(
                f"Restored, but the audit trail is BROKEN at event #{report.broken_seq}:"
                f" {report.reason}."
            )
        if (report.head_seq, report.head_hash) != (expected["seq"], expected["hash"]):
            raise CommandError(
                f"Restored, but the audit trail ends at #{report.head_seq}, not at"
                f" #{expected['seq']} as when the backup was taken."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (taken {manifest.created_at}): the {engine} database,"
                f" {'the' if warehouse else 'no'} crime warehouse, {documents} document"
                f" file(s). Audit trail intact: {report.checked} events, ending at"
                f" #{report.head_seq} as when the backup was taken."
            )
        )
        if checkpoint_path().exists():
            self.stderr.write(
                f"{checkpoint_path()} holds checkpoints taken before this restore: events"
                " written after the backup are no longer in the trail, and `csphub audit"
                " verify` will report them missing. Keep that file as the record of it, move"
                " it aside, then run `csphub audit verify` to anchor the restored trail."
            )
