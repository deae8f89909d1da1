"""police.uk CSVs: street-level, stop-and-search, zips, bad rows."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from crimestats_testdata import CITY, STOP_SEARCH

from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse


def _csv_rows(folder: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def test_street_rows_and_types_match_csv(warehouse: Warehouse) -> None:
    rows = _csv_rows(CITY)
    assert len(rows) == 9019  # as documented for the shared data
    violence = sum(r["Crime type"] == "Violence and sexual offences" for r in rows)
    got = warehouse.con.execute(
        "SELECT count(*), count(*) FILTER (crime_type = 'Violence and sexual offences') FROM street_crimes"
    ).fetchone()
    assert got == (9019, violence)


def test_asb_rows_keep_blank_crime_id(warehouse: Warehouse) -> None:
    asb = warehouse.con.execute(
        "SELECT count(*), count(crime_id) FROM street_crimes WHERE crime_type = 'Anti-social behaviour'"
    ).fetchone()
    assert asb is not None and asb[0] > 0 and asb[1] == 0


def test_stop_and_search_month_and_force(warehouse: Warehouse) -> None:
    got = warehouse.con.execute(
        "SELECT count(*), min(month), any_value(scope) FROM stop_search"
    ).fetchone()
    assert got is not None
    assert got[0] == 10 and str(got[1]) == "2022-01-01" and got[2] == "cheshire"
    assert (STOP_SEARCH / "2022-01-cheshire-stop-and-search-first10rows.csv").exists()


@pytest.mark.realdata
def test_zip_archive_members_import(tmp_path: Path) -> None:
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("2023-01-city-of-london-street.csv", "2023-02-city-of-london-street.csv"):
            zf.write(CITY / name, f"{name[:7]}/{name}")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([archive], wh, quiet=True)
        count = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
    expected = sum(
        len((CITY / f"2023-0{m}-city-of-london-street.csv").read_text().splitlines()) - 1
        for m in (1, 2)
    )
    assert [r.status for r in results] == ["imported", "imported"]
    assert results[0].file_name.startswith("archive.zip!")
    assert count == (expected,)


@pytest.mark.realdata
def test_bad_month_rejected_with_row_and_column(tmp_path: Path) -> None:
    lines = (CITY / "2023-01-city-of-london-street.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",2023-01,", ",2023-13,", 1)
    bad = tmp_path / "2023-01-city-of-london-street.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        [result] = import_paths([bad], wh, quiet=True)
        count = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
    assert result.status == "rejected"
    assert "row 3" in result.error and "'Month'" in result.error and "2023-13" in result.error
    assert count == (0,)
