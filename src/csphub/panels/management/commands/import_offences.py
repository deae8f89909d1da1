"""`csphub import_offences --user EMAIL FILE`: import a police extract of offences (CSV or xlsx)
as that user, with the same checks as the import page (docs/casework.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from csphub.accounts.models import User
from csphub.panels.offence_import import OffenceImportRejected
from csphub.panels.services import do_import_offences


class Command(BaseCommand):
    help = (
        "Import offences for referred people from a police extract (CSV or xlsx; columns "
        "reference, offence_date, category or major_category and minor_category, and "
        "optionally harm_weight and police_reference). Every row is checked first: one "
        "problem refuses the whole file and nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user",
            required=True,
            help="E-mail address of the police partner's user or co-ordinator importing it.",
        )
        parser.add_argument("file", help="The extract: a .csv or .xlsx file.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(email__iexact=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user has the e-mail address {options['user']}")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror})") from exc
        try:
            result = do_import_offences(actor=actor, name=path.name, content=content)
        except PermissionDenied as exc:
            raise CommandError(
                f"{actor.email} may not import offences: only the police partner's users "
                "and panel co-ordinators may"
            ) from exc
        except OffenceImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path.name}: nothing imported") from rejected
        self.stdout.write(
            f"{result.file_name}: {result.recorded} offence{'s' if result.recorded != 1 else ''}"
            f" imported from {result.rows} row{'s' if result.rows != 1 else ''}"
            f" ({result.already_recorded} already recorded)."
        )
