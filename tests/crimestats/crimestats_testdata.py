"""Paths to the real open data used by the tests, an independent CSV summer, and a fingerprint
of a warehouse (to show an import changed nothing)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from tests.realdata import DATA

if TYPE_CHECKING:
    from crimestats.warehouse import Warehouse

MPS = DATA / "mps"
BOROUGH = MPS / "borough"
HISTORICAL_2023 = BOROUGH / "MPS Borough Level Crime (Historical) 201004-202402.csv"
PRE2023_HISTORICAL = (
    BOROUGH / "MPS Borough Level Crime (Historical) pre-2023-classification 201004-202107.csv"
)
PRE2023_RECENT = (
    BOROUGH
    / "MPS Borough Level Crime (most recent 24 months) pre-2023-classification 202108-202307.csv"
)
RECENT_2023 = BOROUGH / "MPS Borough Level Crime (most recent 24 months) 202311-202510.csv"
DASHBOARD = MPS / "dashboard"
CITY = DATA / "police-uk" / "city-of-london"
STOP_SEARCH = DATA / "police-uk" / "stop-and-search"
BEXLEY_GEO = DATA / "geo" / "bexley"


def sum_wide_csv(
    path: Path,
    borough_col: str,
    borough: str | None,
    categories: set[tuple[str, str]],
    months: list[str],
) -> int:
    """Independent check: add up cells of an MPS wide file with the csv module."""
    total = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if borough is not None and row[borough_col] != borough:
                continue
            if (row["MajorText"], row["MinorText"]) in categories or (
                row["MajorText"],
                "*",
            ) in categories:
                total += sum(int(row[m]) for m in months)
    return total


TABLES = [
    "sources",
    "slices",
    "mps_counts",
    "dashboard_counts",
    "street_files",
    "street_lsoas",
    "street_counts",
    "outcomes",
    "stop_search",
    "boundaries",
]


def fingerprint(wh: Warehouse) -> dict[str, tuple]:
    """Row count and a digest of every row of every table (and the visible street rows)."""
    out: dict[str, tuple] = {}
    for table in [*TABLES, "street_crimes"]:
        out[table] = wh.con.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR), '')) "
            f"FROM {table} t"
        ).fetchone()  # type: ignore[assignment]
    out["street files on disk"] = (sorted(p.name for p in wh.street_dir.iterdir()),)
    return out
