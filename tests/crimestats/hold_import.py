"""Run as a script: ``python hold_import.py DATABASE FILE`` imports FILE into the warehouse at
DATABASE in this process, but stops once the import is under way (lock held, zip members
extracted), prints ``importing <extracted path>`` and waits for a line on stdin before going on.
Tests use it as a real second process holding an import open, and kill it to interrupt one."""

from __future__ import annotations

import sys
from pathlib import Path

import crimestats.importers as importers
from crimestats.warehouse import Warehouse


def main() -> None:
    database, upload = Path(sys.argv[1]), Path(sys.argv[2])
    real = importers.detect_format

    def held(path: Path, con: object = None, *rest: str) -> importers.Detected:
        print("importing", path, flush=True)
        sys.stdin.readline()  # hold the import open until told to go on (or killed)
        return real(path, con, *rest)  # type: ignore[arg-type]

    importers.detect_format = held  # type: ignore[assignment]
    with Warehouse(database) as wh:
        results = importers.import_paths([upload], wh, quiet=True)
    print("done", *[r.status for r in results], flush=True)


if __name__ == "__main__":
    main()
