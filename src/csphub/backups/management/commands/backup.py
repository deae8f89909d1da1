"""`csphub backup [--output FILE]`: the database, the crime warehouse and the documents, in one
archive with a manifest of SHA-256 hashes (docs/operations.md, *Backup and restore*)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csphub.backups import database, files
from csphub.backups.archive import Manifest, write_archive
from csphub.crime.warehouse import WarehouseBusy


class Command(BaseCommand):
    help = (
        "Write one backup archive (.tar.gz): the database (SQLite online backup or pg_dump),"
        " the crime warehouse with its Parquet files and the attached documents, with a"
        " manifest of each file's SHA-256. The audit chain key and checkpoints are not in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: csphub-backup-<UTC time>.tar.gz here)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = datetime.now(UTC)
        output: Path = options["output"] or Path(f"csphub-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz")
        if output.exists():
            raise CommandError(f"{output} already exists: name another file with --output.")
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".csphub-backup-", dir=output.parent))
        try:
            engine = database.engine()
            # The database first: a document stored after it is an extra file, harmless; a
            # row without its file is what copying the files first could leave.
            head = database.dump(staging / database.MEMBER[engine])
            warehouse = files.copy_warehouse(staging)
            documents = files.copy_documents(staging)
            manifest = Manifest(
                engine=engine, created_at=now.isoformat(timespec="seconds"), audit_head=head
            )
            manifest.add_tree(staging)
            write_archive(staging, manifest, output)
        except (database.BackupError, WarehouseBusy) as exc:
            raise CommandError(f"No backup written: {exc}") from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: the {engine} database (audit trail to event"
                f" #{head['seq']}), {'the' if warehouse else 'no'} crime warehouse,"
                f" {documents} document file(s); {len(manifest.files)} files in its manifest."
            )
        )
