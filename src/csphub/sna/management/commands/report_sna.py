"""csphub report sna [--window 2022-10:2023-09] [--output DIR]: both outputs of the assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from csphub.core.errors import ServiceError
from csphub.lib.periods import SV_DUTY, add_months, window
from csphub.sna.build import pdf
from csphub.sna.definitions import preset_keys
from csphub.sna.services import do_build_assessment
from csphub.sna.views import area_code


class Command(BaseCommand):
    help = (
        "Build the Serious Violence Strategic Needs Assessment for a window: the restricted "
        "full assessment and the publishable summary, each as HTML and PDF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--window",
            help="YYYY-MM:YYYY-MM (default: the latest whole October to September)",
        )
        parser.add_argument("--output", type=Path, help="write the four files to this folder")
        parser.add_argument("--definition", choices=preset_keys(), help="default: the file's")
        parser.add_argument("--population", type=int, help="residents, for rates per 100,000")
        parser.add_argument("--population-under-25", type=int, help="residents aged under 25")
        parser.add_argument("--no-pdf", action="store_true", help="HTML only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["window"]:
            try:
                period = window(options["window"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        else:
            last = add_months(timezone.localdate().replace(day=1), -1)
            period = SV_DUTY.named(SV_DUTY.latest_whole(last))
        populations = {
            k: v
            for k, v in (
                ("all", options["population"]),
                ("under_25", options["population_under_25"]),
            )
            if v is not None
        }
        try:
            assessment = do_build_assessment(
                actor=None,
                period=period,
                area_code=area_code(),
                definition_key=options["definition"],
                populations=populations,
            )
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Built the needs assessment for {period.label}; inputs {assessment.inputs_sha256}"
        )
        if options["output"] is None:
            return
        out = Path(options["output"])
        out.mkdir(parents=True, exist_ok=True)
        stem = f"sna-{period.start:%Y-%m}-{period.end:%Y-%m}"
        for kind, html in (("full", assessment.full_html), ("summary", assessment.summary_html)):
            (out / f"{stem}-{kind}.html").write_text(html, encoding="utf-8")
            if not options["no_pdf"]:
                (out / f"{stem}-{kind}.pdf").write_bytes(pdf(html))
        self.stdout.write(f"Wrote {stem}-full and {stem}-summary to {out}")
