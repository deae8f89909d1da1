"""The demo loader: real files from the shared data folder, idempotent, and a clear skip."""

from __future__ import annotations

import io
import shutil

import pytest

from crimestats.warehouse import Warehouse
from csphub.crime import demo
from csphub.crime.warehouse import warehouse_file
from tests.crime.conftest import BOROUGH, DATA

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)


def test_missing_data_folder_is_reported_and_skipped(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.SHARED_DATA_DIR = tmp_path / "nowhere"
    out = io.StringIO()
    demo.load(out)
    assert f"No crime data found at {tmp_path / 'nowhere'}" in out.getvalue()
    assert not warehouse_file().exists()


def test_demo_paths_are_the_real_files():
    paths = demo.demo_paths(DATA)
    assert len(paths) == len(demo.DEMO_PATHS)  # every demo file is in the shared data folder


def test_running_the_demo_twice_replaces_rather_than_doubles(settings, tmp_path):
    # A small copy of the shared folder keeps this quick; the loader is the same.
    shared = tmp_path / "shared"
    (shared / "mps" / "borough").mkdir(parents=True)
    small = "MPS Borough Level Crime (most recent 24 months) 202311-202510.csv"
    shutil.copy(BOROUGH / small, shared / "mps" / "borough" / small)
    (shared / "geo" / "bexley").mkdir(parents=True)
    shutil.copy(
        DATA / "geo" / "bexley" / "bexley_wards2025.geojson",
        shared / "geo" / "bexley" / "bexley_wards2025.geojson",
    )
    settings.SHARED_DATA_DIR = shared
    settings.DATA_DIR = tmp_path / "var"

    def counts() -> tuple[int, int, int]:
        with Warehouse(warehouse_file(), read_only=True) as wh:
            facts = wh.con.execute("SELECT count(*), sum(count) FROM mps_counts").fetchone()
            wards = wh.con.execute("SELECT count(*) FROM boundaries").fetchone()
            return int(facts[0]), int(facts[1]), int(wards[0])  # type: ignore[index]

    out = io.StringIO()
    demo.load(out)
    first = counts()
    demo.load(out)
    assert counts() == first
    assert first[2] == 17  # Bexley's wards
    assert out.getvalue().count("Imported 2 crime data files") == 2
