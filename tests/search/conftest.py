"""Search tests use the shared partnership (tests/partnership.py) under the name ``world``."""

from __future__ import annotations

import pytest

from tests.partnership import Partnership


@pytest.fixture
def world(partnership: Partnership) -> Partnership:
    return partnership
