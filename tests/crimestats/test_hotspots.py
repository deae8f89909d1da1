"""Hot spots on the real Bexley files, with the London LSOA 2011 file imported for population."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from crimestats_testdata import BEXLEY_GEO, DATA, MPS

from crimestats.cli import main
from crimestats.hotspots import hotspots
from crimestats.importers import import_paths
from crimestats.periods import calendar_year
from crimestats.warehouse import Warehouse

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

LSOA_FILE = MPS / "lsoa" / "MPS LSOA Level Crime (most recent 24 months) 202308-202507.csv"
LONDON_2011 = DATA / "geo" / "london" / "lsoa2011" / "LSOA_2011_London_gen_MHW.shp"
SERIOUS_VIOLENCE = {
    ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("POSSESSION OF WEAPONS", "*"),
}


def _codes(path: Path) -> set[str]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["LSOA21CD"] for f in features}


def _lsoa_counts(year: int) -> Counter[str]:
    """Independent check: each Bexley LSOA's serious violence, summed with the csv module."""
    months = [f"{year}{m:02d}" for m in range(1, 13)]
    counts: Counter[str] = Counter()
    with LSOA_FILE.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["Major Category"], row["Minor Category"])
            if row["Borough"] == "E09000004" and (
                key in SERIOUS_VIOLENCE or (key[0], "*") in SERIOUS_VIOLENCE
            ):
                counts[row["LSOA Code"]] += sum(int(row[m]) for m in months)
    return counts


@pytest.fixture(scope="module")
def both_vintages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with the MPS LSOA file, Bexley's LSOA 2021 and London's LSOA 2011 boundaries."""
    data_dir = tmp_path_factory.mktemp("hot")
    (data_dir / "crimestats").mkdir()
    with Warehouse(data_dir / "crimestats" / "warehouse.duckdb") as wh:
        results = import_paths(
            [LSOA_FILE, BEXLEY_GEO / "bexley_lsoa21.geojson", LONDON_2011], wh, quiet=True
        )
        assert [r.status for r in results] == ["imported"] * 3
    return data_dir


def test_gistar_runs_on_the_148_lsoa_2021_areas_only(both_vintages: Path) -> None:
    lsoa21 = _codes(BEXLEY_GEO / "bexley_lsoa21.geojson")
    assert len(lsoa21) == 148
    with Warehouse(both_vintages / "crimestats" / "warehouse.duckdb", read_only=True) as wh:
        stale = {
            r[0]
            for r in wh.con.execute(
                "SELECT code FROM boundaries WHERE level = 'lsoa11' AND parent_code = 'E09000004'"
            ).fetchall()
        } - lsoa21
        result = hotspots(wh, "Bexley", "serious_violence", calendar_year(2024), permutations=99)
    assert stale  # Bexley has 2011 LSOAs that were split or merged in 2021
    assert result.boundaries == "lsoa21"
    assert {u.code for u in result.units} == lsoa21 and len(result.units) == 148
    expected = _lsoa_counts(2024)
    assert {u.code: u.count for u in result.units} == {c: expected.get(c, 0) for c in lsoa21}
    # Population still comes from the 2011 file, for the 2021 areas whose code is unchanged.
    with_population = {u.code for u in result.units if u.population is not None}
    assert with_population and with_population < lsoa21


def test_the_download_lists_no_stale_2011_area(both_vintages: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data_dir = both_vintages.parent / "hot-copy"
    shutil.copytree(both_vintages, data_dir)
    args = ["--data-dir", str(data_dir), "hotspots", "--area", "E09000004", "--year", "2024"]
    assert main([*args, "--permutations", "99", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["code"] for r in rows} == _codes(BEXLEY_GEO / "bexley_lsoa21.geojson")


def test_a_measure_with_no_crimes_in_the_period_is_said_plainly(both_vintages: Path) -> None:
    # Knife injury victims are counted only in the dashboard, never in the LSOA file.
    path = both_vintages / "crimestats" / "warehouse.duckdb"
    with (
        Warehouse(path, read_only=True) as wh,
        pytest.raises(LookupError, match="the MPS lsoa-level file does not carry knife injury"),
    ):
        hotspots(wh, "Bexley", "knife_injury_victims_1_24", calendar_year(2024), level="lsoa")


def test_boundaries_of_another_vintage_are_refused_not_shown_as_zeros(tmp_path: Path) -> None:
    # The historical ward file uses the wards of 2022 for Westminster; the London ward
    # shapefile has the 2014 wards, whose codes differ in every case.
    ward_file = MPS / "ward" / "MPS Ward Level Crime (Historical) 201004-202402.csv"
    wards_2014 = DATA / "geo" / "london" / "wards2018" / "London_Ward.shp"
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([ward_file, wards_2014], wh, quiet=True)
        assert [r.status for r in results] == ["imported"] * 2
        with pytest.raises(LookupError, match="different vintage"):
            hotspots(wh, "Westminster", "all_crime", calendar_year(2023), level="ward")
        bexley = hotspots(wh, "Bexley", "all_crime", calendar_year(2023), permutations=99)
    assert bexley.level == "ward" and sum(u.count for u in bexley.units) > 0


def test_homicide_is_too_sparse_for_hot_spots_and_says_why(both_vintages: Path) -> None:
    # Counted independently from the MPS LSOA file with the csv module.
    months = [f"2024{m:02d}" for m in range(1, 13)]
    with LSOA_FILE.open(encoding="utf-8-sig", newline="") as fh:
        by_lsoa = Counter(
            row["LSOA Code"]
            for row in csv.DictReader(fh)
            if row["Borough"] == "E09000004" and row["Minor Category"] == "HOMICIDE"
            for m in months
            for _ in range(int(row[m]))
        )
    events = sum(by_lsoa.values())
    assert 0 < events < 30  # a handful of homicides: the case the minimum is for
    with Warehouse(both_vintages / "crimestats" / "warehouse.duckdb", read_only=True) as wh:
        result = hotspots(wh, "Bexley", "homicide", calendar_year(2024), level="lsoa")
    assert result.not_tested.startswith(
        f"{events} crime{'s' if events != 1 else ''}, in {len(by_lsoa)} of the 148 LSOAs"
    )
    assert "choose a longer period or wards" in result.not_tested
    assert {u.label for u in result.units} == {"not tested"}  # no cold spot made of zeros
    assert all(u.z is None and u.q is None for u in result.units)
    assert sum(u.count for u in result.units) == events  # counts are still given


def test_a_well_populated_measure_is_tested(both_vintages: Path) -> None:
    with Warehouse(both_vintages / "crimestats" / "warehouse.duckdb", read_only=True) as wh:
        result = hotspots(
            wh, "Bexley", "serious_violence", calendar_year(2024), permutations=99, threshold=0
        )
    assert result.not_tested == ""
    assert all(u.z is not None for u in result.units)
    assert {u.label for u in result.units} <= {"hot spot", "cold spot", "not significant"}


def test_where_counts_are_suppressed_nothing_gives_a_hidden_one_away(both_vintages: Path) -> None:
    # A rate with its population is the count; z, p and q depend on every count and can be
    # searched for the hidden ones. Under a threshold, the hidden units keep neither and no unit
    # keeps its statistics; the hot spot labels stay.
    path = both_vintages / "crimestats" / "warehouse.duckdb"
    with Warehouse(path, read_only=True) as wh:
        shown = hotspots(wh, "Bexley", "possession_of_weapons", calendar_year(2024), threshold=0)
        hidden = hotspots(wh, "Bexley", "possession_of_weapons", calendar_year(2024), threshold=5)
    small = [u for u in hidden.units if u.shown_count in ("<5", "[c]")]
    assert small and hidden.statistics_withheld and not shown.statistics_withheld
    assert all(u.rate_per_1000 is None and u.population is None for u in small)
    assert all(u.z is None and u.p_sim is None and u.q is None for u in hidden.units)
    assert [u.label for u in hidden.units] == [u.label for u in shown.units]
    assert any(u.population is not None for u in shown.units if u.code in {s.code for s in small})
    doc = hidden.to_json()
    assert all(
        unit["z"] is None and (unit["count"] not in ("<5", "[c]") or unit["rate_per_1000"] is None)
        for unit in doc["units"]  # type: ignore[union-attr]
    )


def test_a_category_the_lsoa_file_leaves_out_is_said_to_be_missing_not_zero(
    both_vintages: Path,
) -> None:
    with LSOA_FILE.open(encoding="utf-8-sig", newline="") as fh:
        majors = {row["Major Category"] for row in csv.DictReader(fh)}
    assert "SEXUAL OFFENCES" not in majors  # the published LSOA file has none at all
    path = both_vintages / "crimestats" / "warehouse.duckdb"
    with Warehouse(path, read_only=True) as wh, pytest.raises(LookupError) as refused:
        hotspots(wh, "Bexley", "sexual_offences", calendar_year(2024), level="lsoa")
    assert "does not carry sexual offences" in str(refused.value)
    assert "choose wards" in str(refused.value)
    assert "no sexual_offences crimes recorded" not in str(refused.value)


def test_the_cli_table_groups_thousands(both_vintages: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data_dir = both_vintages.parent / "hot-numbers"
    shutil.copytree(both_vintages, data_dir)
    args = ["--data-dir", str(data_dir), "hotspots", "--area", "Bexley", "--year", "2024"]
    args += ["--measure", "all_crime", "--level", "lsoa", "--permutations", "1999"]
    assert main([*args, "--format", "table"]) == 0
    assert "(1,999 permutations, FDR 5%)" in capsys.readouterr().out
