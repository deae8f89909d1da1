"""The sections built from casework and the programme, on the demo partnership's own records:
casework suppressed through the one policy, boards that take no referrals left out."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.utils.module_loading import import_string

from csphub.accounts.models import User
from csphub.panels.models import Panel, Transition
from csphub.reports.build import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    for dotted in settings.DEMO_LOADERS:
        if not dotted.startswith("csphub.crime."):  # the crime section is tested on its own
            import_string(dotted)(StringIO())


def test_panel_referrals_are_suppressed_and_boards_left_out(demo: None) -> None:
    manager = User.objects.get(email="admin@bexley.demo")
    report = build(manager, 2023)
    panels = next(s for s in report.sections if s.key == "panels")
    shown = {t.caption.split(":")[0] for t in panels.tables}
    taking = {
        p.name
        for p in Panel.objects.all()
        if Transition.objects.filter(to_panel=p).exclude(kind="transfer").exists()
    }
    assert shown == taking and shown  # boards taking no referrals have no table
    for table in panels.tables:
        for label, count in table.rows[:-1]:
            # Counted by hand from the records: 1 to 4 never appears as itself.
            assert count not in {"1", "2", "3", "4"}, (table.caption, label, count)
        entry = next(e for e in report.appendix.entries if e.key == table.entry)
        assert entry.suppression == 'Casework figures: Counts from 1 to 4 are shown as "<5".'
