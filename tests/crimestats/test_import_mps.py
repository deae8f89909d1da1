"""MPS wide files: detection, both classifications, idempotence, atomic rejection."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from crimestats_testdata import (
    HISTORICAL_2023,
    PRE2023_HISTORICAL,
    PRE2023_RECENT,
    RECENT_2023,
    sum_wide_csv,
)

from crimestats.importers import detect_format, import_paths
from crimestats.warehouse import Warehouse

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

MONTHS_2023 = [f"2023{m:02d}" for m in range(1, 13)]
MONTHS_2019 = [f"2019{m:02d}" for m in range(1, 13)]


def _sum(wh: Warehouse, classification: str, borough: str, prefix: str, year: int) -> int:
    row = wh.con.execute(
        "SELECT coalesce(sum(count), 0) FROM mps_counts WHERE classification = ? AND level = 'borough' "
        "AND borough_code = ? AND category LIKE ? AND year(month) = ?",
        [classification, borough, prefix + "%", year],
    ).fetchone()
    return int(row[0]) if row else 0


def test_detection_names_level_and_classification() -> None:
    new = detect_format(HISTORICAL_2023)
    old = detect_format(PRE2023_HISTORICAL)
    assert (new.level, new.classification) == ("borough", "mps_2023")
    assert "2023 classification" in new.description
    assert (old.level, old.classification) == ("borough", "mps_pre2023")
    assert "pre-2023 classification" in old.description


def test_2023_classification_matches_csv_sum(warehouse: Warehouse) -> None:
    # Nov and Dec 2023 come from the newer 24-month refresh, which replaces the historical file's.
    categories = {("VIOLENCE AGAINST THE PERSON", "*")}
    expected = sum_wide_csv(HISTORICAL_2023, "BoroughName", "Bexley", categories, MONTHS_2023[:10])
    expected += sum_wide_csv(RECENT_2023, "BoroughName", "Bexley", categories, MONTHS_2023[10:])
    assert expected > 0
    assert (
        _sum(warehouse, "mps_2023", "E09000004", "VIOLENCE AGAINST THE PERSON/", 2023) == expected
    )


def test_pre2023_classification_matches_csv_sum(warehouse: Warehouse) -> None:
    expected = sum_wide_csv(
        PRE2023_HISTORICAL,
        "LookUp_BoroughName",
        "Bexley",
        {("Violence Against the Person", "Violence with Injury")},
        MONTHS_2019,
    )
    assert expected > 0
    got = _sum(
        warehouse,
        "mps_pre2023",
        "E09000004",
        "Violence Against the Person/Violence with Injury",
        2019,
    )
    assert got == expected


def test_newer_refresh_replaces_overlapping_months(warehouse: Warehouse) -> None:
    # Nov 2023 to Feb 2024 appear in both 2023-classification files; the newer one must win alone.
    months = ["202312"]
    expected = sum_wide_csv(RECENT_2023, "BoroughName", "Bexley", {("THEFT", "*")}, months)
    got = warehouse.con.execute(
        "SELECT sum(count) FROM mps_counts WHERE classification = 'mps_2023' AND level = 'borough' "
        "AND borough_code = 'E09000004' AND category LIKE 'THEFT/%' AND month = DATE '2023-12-01'"
    ).fetchone()
    assert got is not None and int(got[0]) == expected


def test_reimport_replaces_never_doubles(tmp_path: Path) -> None:
    with Warehouse(tmp_path / "w.duckdb") as wh:
        import_paths([PRE2023_RECENT], wh, quiet=True)
        before = wh.con.execute("SELECT count(*), sum(count) FROM mps_counts").fetchone()
        again = import_paths([PRE2023_RECENT], wh, quiet=True)
        after = wh.con.execute("SELECT count(*), sum(count) FROM mps_counts").fetchone()
        sources = wh.con.execute("SELECT count(*) FROM sources").fetchone()
    assert again[0].status == "imported"
    assert again[0].replaced_rows == before[0]
    assert before == after
    assert sources == (1,)


def test_corrupted_file_rejected_and_nothing_changes(tmp_path: Path) -> None:
    bad = tmp_path / "MPS Borough Level Crime (most recent 24 months) 202311-202510.csv"
    lines = RECENT_2023.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[7].split(",")
    column = header.index("202401")
    cells[column] = "12x"
    lines[7] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        import_paths([PRE2023_RECENT], wh, quiet=True)
        before = wh.con.execute("SELECT count(*), sum(count) FROM mps_counts").fetchone()
        [result] = import_paths([bad], wh, quiet=True)
        after = wh.con.execute("SELECT count(*), sum(count) FROM mps_counts").fetchone()
        sources = wh.con.execute("SELECT count(*) FROM sources").fetchone()
    assert result.status == "rejected"
    assert bad.name in result.error
    assert "row 7" in result.error  # line 8 of the file, the 7th data row
    assert "'202401'" in result.error
    assert "not a whole number" in result.error and "12x" in result.error
    assert before == after
    assert sources == (1,)


def test_unrecognised_csv_is_rejected_with_reason(tmp_path: Path) -> None:
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        [result] = import_paths([odd], wh, quiet=True)
    assert result.status == "rejected"
    assert "not recognised" in result.error


def test_folder_import_reports_every_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PRE2023_RECENT, folder)
    (folder / "README.md").write_text("not data", encoding="utf-8")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([folder], wh, quiet=True)
    assert [r.status for r in results] == ["imported"]
