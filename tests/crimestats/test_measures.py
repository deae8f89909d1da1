"""The measures file: a changed CSPHUB_MEASURES or an edited file is read again."""

from __future__ import annotations

import os

import pytest
import yaml

from crimestats.measures import default_measures_path, load_measures


def _copy_with_label(path, label: str):  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(default_measures_path().read_text(encoding="utf-8"))
    raw["measures"]["homicide"]["label"] = label
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_a_changed_setting_is_picked_up(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load_measures()["homicide"].label
    monkeypatch.setenv("CSPHUB_MEASURES", str(_copy_with_label(tmp_path / "a.yaml", "Homicide A")))
    assert load_measures()["homicide"].label == "Homicide A"
    monkeypatch.setenv("CSPHUB_MEASURES", str(_copy_with_label(tmp_path / "b.yaml", "Homicide B")))
    assert load_measures()["homicide"].label == "Homicide B"
    monkeypatch.delenv("CSPHUB_MEASURES")
    assert load_measures()["homicide"].label == shipped


def test_an_edited_file_is_picked_up(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy_with_label(tmp_path / "m.yaml", "Before")
    monkeypatch.setenv("CSPHUB_MEASURES", str(path))
    assert load_measures()["homicide"].label == "Before"
    _copy_with_label(path, "After edit")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later save
    assert load_measures()["homicide"].label == "After edit"
    assert load_measures(path)["homicide"].label == "After edit"  # an explicit path too


def test_the_same_file_is_read_once(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSPHUB_MEASURES", str(_copy_with_label(tmp_path / "c.yaml", "C")))
    assert load_measures() is load_measures()
