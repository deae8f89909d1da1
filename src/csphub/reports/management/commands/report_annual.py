"""`csphub report annual --year 2023 [--output DIR] [--by EMAIL]`: build, store and write the
annual partnership delivery report as HTML, PDF and DOCX."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from csphub.accounts.models import User
from csphub.core.errors import ServiceError
from csphub.reports.build import document_html, pdf_bytes
from csphub.reports.services import do_build_annual_report


class Command(BaseCommand):
    help = "Build the annual partnership delivery report (HTML, PDF and DOCX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="calendar year, e.g. 2023")
        parser.add_argument("--output", default=".", help="folder to write the files to")
        parser.add_argument(
            "--by",
            default="",
            help="e-mail of the CSP manager or analyst building it (default: the only CSP "
            "administrator)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["by"])
        year = options["year"]
        try:
            stored = do_build_annual_report(actor=actor, year=year)
        except PermissionDenied as exc:
            raise CommandError(f"{actor.email} may not build the report: {exc}") from exc
        except ServiceError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        out = Path(options["output"])
        out.mkdir(parents=True, exist_ok=True)
        html_path = out / f"partnership-delivery-{year}.html"
        document = document_html(stored.html, year)
        html_path.write_text(document, encoding="utf-8")
        css = finders.find("vendor/csphub.css")
        if css:  # the stand-alone HTML links its GOV.UK styles from beside it
            shutil.copyfile(str(css), out / "csphub.css")
        pdf_path = out / f"partnership-delivery-{year}.pdf"
        pdf_path.write_bytes(pdf_bytes(document))
        self.stdout.write(f"built {html_path} (SHA-256 {stored.html_sha256})")
        self.stdout.write(f"built {pdf_path}")
        docx_path = out / f"partnership-delivery-{year}.docx"
        docx_path.write_bytes(bytes(stored.docx))
        self.stdout.write(f"built {docx_path}")

    def _actor(self, email: str) -> User:
        if email:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"no user has the e-mail address {email}")
            return user
        admins = [
            u for u in User.objects.filter(is_active=True) if u.has_perm("reports.sign_off_annual")
        ]
        if len(admins) != 1:
            raise CommandError("say who is building the report: --by EMAIL")
        return admins[0]
