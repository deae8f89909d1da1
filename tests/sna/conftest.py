"""The partnership, with no crime data (each test's own empty data folder) unless it asks."""

from __future__ import annotations

import pytest

from csphub.lib.periods import window
from tests.crime.conftest import crime_data_dir, with_crime_data  # noqa: F401  (real-data tests)
from tests.vvrap.conftest import vv  # noqa: F401  (a plan whose actions answer findings)

WINDOW = "2022-10:2023-09"
BEXLEY = "E09000004"


@pytest.fixture
def world(partnership):
    return partnership


@pytest.fixture
def period():
    return window(WINDOW)


@pytest.fixture(autouse=True)
def _no_crime_data(settings, tmp_path, request):
    if "with_crime_data" not in request.fixturenames:
        settings.DATA_DIR = tmp_path
