"""The `csphub` command: Django's management commands, plus `csphub crime …` for analytics.

csphub demo                 load the demo partnership
csphub runserver            run the development server
csphub crime figures …      the analytics command line (see `csphub crime --help`)
csphub audit verify         check the audit trail's hash chain against its checkpoints
csphub audit checkpoint     record the audit trail's newest event outside the database
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
    from django.core.management import execute_from_command_line

    execute_from_command_line(["csphub", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
