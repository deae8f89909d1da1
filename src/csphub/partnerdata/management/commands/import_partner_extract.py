"""csphub import_partner_extract FILE --layout counts|istv --supplier … --agreement …"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from csphub.accounts.models import normalise_email
from csphub.partnerdata.choices import Layout
from csphub.partnerdata.errors import ExtractRefused
from csphub.partnerdata.services import do_import_partner_extract


class Command(BaseCommand):
    help = "Import a partner's CSV or xlsx extract (whole, or not at all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--layout", choices=list(Layout.values), default=Layout.COUNTS)
        parser.add_argument("--supplier", required=True, help="who supplied the file")
        parser.add_argument("--agreement", required=True, help="the sharing agreement reference")
        parser.add_argument("--area", default="", help="GSS code an ISTV file's records are for")
        parser.add_argument(
            "--mapping", type=Path, help="YAML naming the file's own column headings"
        )
        parser.add_argument("--user", required=True, help="the importing analyst's e-mail address")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = get_user_model().objects.filter(email=normalise_email(options["user"])).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        mapping = None
        if options["mapping"]:
            mapping = yaml.safe_load(options["mapping"].read_text(encoding="utf-8"))
            if not isinstance(mapping, dict):
                raise CommandError(f"{options['mapping']}: a mapping is a YAML dictionary")
        try:
            extract = do_import_partner_extract(
                actor=user,
                file_name=path.name,
                data=path.read_bytes(),
                layout=options["layout"],
                supplier=options["supplier"],
                agreement_reference=options["agreement"],
                area_code=options["area"],
                mapping=mapping,
            )
        except ExtractRefused as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Imported {extract.file_name}: {extract.rows_read} rows, "
            f"{extract.counts.count()} counts, SHA-256 {extract.sha256}"
        )
