"""People pages are reached through cases: the tests use the shared partnership as ``world``."""

from __future__ import annotations

import pytest

from tests.partnership import Partnership


@pytest.fixture
def world(partnership: Partnership) -> Partnership:
    return partnership
