"""Demo crime data: the real MPS and boundary files from ``settings.SHARED_DATA_DIR``.

Imports the borough files in both classifications, the LSOA and ward files, the crime
dashboard extracts, Bexley's LSOA 2021 and ward boundaries and the London LSOA 2011 file (for
population). Re-running replaces what is there (crimestats imports by slice), so it is
idempotent. When the data folder is absent it says so and skips.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from django.conf import settings

from crimestats import import_paths
from csphub.crime.warehouse import WarehouseBusy, open_warehouse

#: Paths under the shared data folder; folders are imported whole.
DEMO_PATHS = (
    "mps/borough",
    "mps/ward",
    "mps/lsoa",
    "mps/dashboard",
    "geo/bexley/bexley_lsoa21.geojson",
    "geo/bexley/bexley_wards2025.geojson",
    "geo/london/lsoa2011/LSOA_2011_London_gen_MHW.shp",
)


def demo_paths(base: Path) -> list[Path]:
    """The demo's files and folders under BASE that exist."""
    return [base / p for p in DEMO_PATHS if (base / p).exists()]


def load(stdout: TextIO) -> None:
    """Import the real open data into the warehouse under ``settings.DATA_DIR``."""
    base = Path(settings.SHARED_DATA_DIR)
    paths = demo_paths(base)
    if not paths:
        stdout.write(
            f"  No crime data found at {base}: skipping. Set CSPHUB_SHARED_DATA to the folder "
            "holding mps/ and geo/, or import files with `csphub crime import`.\n"
        )
        return
    started = time.monotonic()
    try:
        with open_warehouse(write=True) as wh:
            assert wh is not None
            results = import_paths(paths, wh, quiet=True)
    except WarehouseBusy as exc:
        stdout.write(f"  Crime data not loaded: {exc.message}\n")
        return
    imported = [r for r in results if r.status == "imported"]
    stdout.write(
        f"  Imported {len(imported)} crime data files ({sum(r.rows for r in imported):,} rows) "
        f"in {time.monotonic() - started:.0f} s.\n"
    )
    for r in results:
        if r.status != "imported":
            stdout.write(f"  Rejected {r.error}\n")
