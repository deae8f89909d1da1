"""LibreOffice headless for the tests that open a generated workbook in it.

`scripts/setup.sh` installs Debian's `libreoffice-calc-nogui`, so `soffice` is always there
after `make setup`; where it is missing (a machine set up by hand) the test is skipped, saying
so, except under CI=true, where a skipped check would prove nothing and the test fails."""

from __future__ import annotations

import os
import shutil

import pytest


def require_soffice() -> str:
    """The path of `soffice`, or skip (fail under CI=true) saying why it is needed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        message = "LibreOffice (soffice) is not installed: run make setup"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return soffice
