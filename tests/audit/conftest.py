"""Audit tests write checkpoints to a file of their own, never the install's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def checkpoint_file(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_FILE = path  # type: ignore[attr-defined]
    settings.AUDIT_CHECKPOINT_EMAIL = []  # type: ignore[attr-defined]
    return path
