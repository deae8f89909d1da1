"""The real open data, loaded once per session by the demo loader into a temporary data folder."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from crimestats.config import warehouse_path
from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse
from tests.realdata import DATA

BOROUGH = DATA / "mps" / "borough"
HISTORICAL = BOROUGH / "MPS Borough Level Crime (Historical) 201004-202402.csv"
RECENT = BOROUGH / "MPS Borough Level Crime (most recent 24 months) 202311-202510.csv"
LSOA_RECENT = (
    DATA / "mps" / "lsoa" / "MPS LSOA Level Crime (most recent 24 months) 202308-202507.csv"
)


#: What the pages need, without the demo's slower extras (ward files, London population).
SESSION_FILES = [
    BOROUGH,
    DATA / "mps" / "dashboard",
    LSOA_RECENT,
    DATA / "geo" / "bexley" / "bexley_lsoa21.geojson",
    DATA / "geo" / "bexley" / "bexley_wards2025.geojson",  # ward names label the maps
]


@pytest.fixture(scope="session")
def crime_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose warehouse holds the real MPS files, imported once per session."""
    data_dir = tmp_path_factory.mktemp("crime-data")
    with Warehouse(warehouse_path(data_dir)) as wh:
        results = import_paths(SESSION_FILES, wh, quiet=True)
    assert all(r.status == "imported" for r in results), [r.error for r in results]
    return data_dir


@pytest.fixture
def with_crime_data(settings: pytest.FixtureRequest, crime_data_dir: Path) -> Iterator[Path]:
    settings.DATA_DIR = crime_data_dir  # type: ignore[attr-defined]
    yield crime_data_dir


def borough_total(borough: str, categories: set[tuple[str, str]], year: int) -> int:
    """Independent check: a year's crimes summed with the csv module from the MPS borough files."""
    return months_total(borough, categories, [f"{year}{m:02d}" for m in range(1, 13)])


def months_total(borough: str, categories: set[tuple[str, str]], months: list[str]) -> int:
    """Independent check: crimes in MONTHS (``YYYYMM``) summed with the csv module.

    Months from November 2023 come from the newer refresh (the import replaces the older file's).
    """
    total = 0
    for path, wanted in (
        (HISTORICAL, [m for m in months if m < "202311"]),
        (RECENT, [m for m in months if m >= "202311"]),
    ):
        if not wanted:
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["BoroughName"] != borough:
                    continue
                if (row["MajorText"], row["MinorText"]) in categories or (
                    row["MajorText"],
                    "*",
                ) in categories:
                    total += sum(int(row[m]) for m in wanted)
    return total
