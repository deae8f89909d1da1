"""``python -m tests.faults.killed_import FILE``: ``csphub crime import FILE``, stopped when the
import has written everything into its staging copy (and the street rows into a new Parquet
file) and is about to publish: prints ``publishing`` and waits, to be killed with SIGKILL."""

from __future__ import annotations

import sys
from typing import Any

from crimestats.warehouse import Warehouse
from csphub.cli import main

_publish = Warehouse._publish


def _held(self: Warehouse, *args: Any) -> None:
    print("publishing", flush=True)
    sys.stdin.readline()
    _publish(self, *args)


if __name__ == "__main__":
    # Only when run as the script: pytest imports every module for its doctests, and the test
    # process's own imports must publish as usual.
    Warehouse._publish = _held  # type: ignore[method-assign,assignment]
    raise SystemExit(main(["crime", "import", "-q", *sys.argv[1:]]))
