"""Time the figures page in a fresh process: ``python bench/first_page.py DATA_DIR``.

DATA_DIR holds a crime warehouse (``crimestats/warehouse.duckdb``); it is made from the MPS
borough files and the dashboard in ../shared/data when missing. The process sets Django up on an
in-memory database (migrations and the analyst's account are not timed), then times the first
request for the figures page after start-up, as the first visitor after a server restart pays
it, and the same request again (warm). Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def ensure_warehouse(data_dir: Path, shared: Path) -> None:
    from crimestats.config import warehouse_path
    from crimestats.importers import import_paths
    from crimestats.warehouse import Warehouse

    target = warehouse_path(data_dir)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with Warehouse(target) as wh:
        results = import_paths(
            [shared / "mps" / "borough", shared / "mps" / "dashboard"], wh, quiet=True
        )
    if any(r.status != "imported" for r in results):
        raise SystemExit(f"import failed: {[r.error for r in results]}")


def main() -> None:
    data_dir = Path(sys.argv[1]).resolve()
    shared = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "data"
    ensure_warehouse(data_dir, shared)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="csphub.settings",
        CSPHUB_DATA_DIR=str(data_dir),
        DATABASE_URL="sqlite://:memory:",
    )
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from csphub.accounts.models import Agency, User
    from csphub.accounts.roles import ANALYST, ROLES

    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(name="Bench council", kind="council")
    user = User.objects.create_user(
        email="analyst@bench.test", password="x" * 20, full_name="Bench", agency=agency
    )
    user.groups.set(Group.objects.filter(name=ROLES[ANALYST].label))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        response = client.get("/crime/", {"area": "Bexley"})
        timings.append(time.perf_counter() - start)
        if response.status_code != 200 or b"Headlines" not in response.content:
            raise SystemExit(f"the figures page answered {response.status_code}")
    print(json.dumps({"first": timings[0], "warm": timings[1]}))


if __name__ == "__main__":
    main()
