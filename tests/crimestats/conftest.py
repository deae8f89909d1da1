"""Shared fixtures: the real open data, imported once per session into a temporary warehouse."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # lets tests import crimestats_testdata

from crimestats_testdata import BEXLEY_GEO, BOROUGH, CITY, DASHBOARD, STOP_SEARCH

from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """Borough files in both classifications, the dashboard, City of London street data, boundaries."""
    wh = Warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb")
    results = import_paths(
        [
            BOROUGH,
            DASHBOARD,
            CITY,
            STOP_SEARCH,
            BEXLEY_GEO / "bexley_lsoa21.geojson",
            BEXLEY_GEO / "bexley_wards2025.geojson",
        ],
        wh,
        quiet=True,
    )
    rejected = [r.error for r in results if r.status != "imported"]
    assert not rejected, rejected
    return wh
