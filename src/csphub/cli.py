"""The `csphub` command: Django's management commands, plus `csphub crime …` for analytics.

csphub demo                 load the demo partnership
csphub runserver            run the development server
csphub crime figures …      the analytics command line (see `csphub crime --help`)
csphub audit verify         check the audit trail's hash chain against its checkpoints
csphub audit checkpoint     record the audit trail's newest event outside the database
csphub backup / restore     one archive of the database, crime warehouse and documents
csphub report KIND …        build a report (`csphub report KIND` runs the `report_KIND` command)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    if args[:1] == ["crime"]:
        # The analytics package is framework-free; it only needs to know where the data lives.
        from django.conf import settings

        os.environ.setdefault("CSPHUB_DATA_DIR", str(settings.DATA_DIR))
        from crimestats.cli import main as crime_main

        return crime_main(args[1:], prog="csphub crime")
    if args[:1] == ["report"]:
        args = _report_command(args[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["csphub", *args])
    return 0


def _report_command(rest: list[str]) -> list[str]:
    """`csphub report annual --year 2023` is the `report_annual` management command: each report
    lives in the app that owns it, and this is the one place the family name is spelled."""
    if not rest or rest[0].startswith("-"):
        import django
        from django.core.management import get_commands

        django.setup()
        kinds = sorted(
            name.removeprefix("report_") for name in get_commands() if name.startswith("report_")
        )
        print("usage: csphub report KIND [options]   (csphub report KIND --help for its options)")
        print("kinds: " + (", ".join(kinds) if kinds else "none installed"))
        raise SystemExit(0 if rest[:1] in ([], ["--help"], ["-h"]) else 2)
    return [f"report_{rest[0]}", *rest[1:]]


if __name__ == "__main__":
    raise SystemExit(main())
