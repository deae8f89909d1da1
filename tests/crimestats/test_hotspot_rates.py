"""Rates per 1,000 residents on hot spots: ONS estimates for LSOAs 2021 and best-fitted wards,
the 2011 Census where none is imported, each labelled."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from crimestats_testdata import BEXLEY_GEO, MPS
from population_files import (
    bexley_lsoas,
    invented_population,
    table,
    ward_of_lsoa,
    write_csv,
    write_xlsx,
)

from crimestats.cli import main
from crimestats.hotspots import hotspots
from crimestats.importers import import_paths
from crimestats.periods import calendar_year
from crimestats.populations import Populations, unit_populations
from crimestats.warehouse import Warehouse

LSOA_FILE = MPS / "lsoa" / "MPS LSOA Level Crime (most recent 24 months) 202308-202507.csv"
WARD_FILE = MPS / "ward" / "MPS Ward Level Crime (most recent 24 months) 202311-202510.csv"
ALL_CRIME_2024 = [f"2024{m:02d}" for m in range(1, 13)]


def _counts(path: Path, code: str, borough: str, borough_column: str) -> Counter[str]:
    """Independent check: each area's crimes of all kinds in 2024, with the csv module."""
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row[borough_column] == borough:
                counts[row[code]] += sum(int(row[m]) for m in ALL_CRIME_2024)
    return counts


@pytest.fixture(scope="module")
def with_estimates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MPS LSOA and ward files, Bexley's boundaries, and estimates for mid-2022 and 2025."""
    data_dir = tmp_path_factory.mktemp("rates")
    files = data_dir / "files"
    files.mkdir()
    (data_dir / "crimestats").mkdir()
    with Warehouse(data_dir / "crimestats" / "warehouse.duckdb") as wh:
        results = import_paths(
            [
                LSOA_FILE,
                WARD_FILE,
                BEXLEY_GEO / "bexley_lsoa21.geojson",
                BEXLEY_GEO / "bexley_wards2025.geojson",
                write_xlsx(files / "mid-2022.xlsx", table(2022)),
                write_csv(files / "mid-2025.csv", table(2025), year=2025),
            ],
            wh,
            quiet=True,
        )
        assert all(r.status == "imported" for r in results), [r.error for r in results]
    return data_dir


def _open(data_dir: Path) -> Warehouse:
    return Warehouse(data_dir / "crimestats" / "warehouse.duckdb", read_only=True)


def test_lsoa_rates_use_the_latest_estimate_up_to_the_period(with_estimates: Path) -> None:
    with _open(with_estimates) as wh:
        result = hotspots(wh, "Bexley", "all_crime", calendar_year(2024), level="lsoa")
    assert result.population_source == "ONS mid-2022 estimate"
    assert "ONS mid-2022 estimate of each LSOA's population" in result.population_note
    counts = _counts(LSOA_FILE, "LSOA Code", "E09000004", "Borough")
    positions = {code: i for i, (code, _) in enumerate(bexley_lsoas(), start=1)}
    assert len(result.units) == 148
    for unit in result.units:
        people = invented_population(positions[unit.code], 2022)
        assert unit.population == people
        assert unit.rate_per_1000 == round(1000 * counts[unit.code] / people, 2)


def test_ward_rates_sum_the_lsoas_best_fitted_to_each_ward(with_estimates: Path) -> None:
    with _open(with_estimates) as wh:
        result = hotspots(wh, "Bexley", "all_crime", calendar_year(2024), level="ward")
    assert result.population_source == "ONS mid-2022 estimates by LSOA 2021, best-fitted to wards"
    fitted: Counter[str] = Counter()
    for position, (code, _) in enumerate(bexley_lsoas(), start=1):
        fitted[ward_of_lsoa()[code]] += invented_population(position, 2022)
    assert {u.code for u in result.units} == set(fitted)
    for unit in result.units:
        assert unit.population == fitted[unit.code]
        assert unit.rate_per_1000 == round(1000 * unit.count / fitted[unit.code], 2)


def test_a_period_before_every_estimate_uses_the_nearest_and_says_so(with_estimates: Path) -> None:
    with _open(with_estimates) as wh:
        units = wh.con.execute(
            "SELECT code, geometry_bng, population FROM boundaries WHERE level = 'lsoa21'"
        ).fetchall()
        early = unit_populations(wh, "lsoa21", units, 2019)
        late = unit_populations(wh, "lsoa21", units, 2030)
    first = bexley_lsoas()[0][0]
    assert early.label == "ONS mid-2022 estimate" and early.by_code[first] == 12
    assert "none is imported for 2019 or earlier" in early.sentence
    assert late.label == "ONS mid-2025 estimate" and late.by_code[first] == 15


def test_without_estimates_the_2011_census_is_used_and_labelled(tmp_path: Path) -> None:
    import shapefile

    london_2011 = BEXLEY_GEO.parent / "london" / "lsoa2011" / "LSOA_2011_London_gen_MHW.shp"
    with Warehouse(":memory:") as wh:
        results = import_paths(
            [LSOA_FILE, BEXLEY_GEO / "bexley_lsoa21.geojson", london_2011], wh, quiet=True
        )
        assert all(r.status == "imported" for r in results)
        result = hotspots(wh, "Bexley", "all_crime", calendar_year(2024), level="lsoa")
    assert result.population_source == "2011 Census"
    assert "2011 Census usual resident population" in result.population_note
    reader = shapefile.Reader(str(london_2011))
    fields = [f[0] for f in reader.fields[1:]]
    census = {
        rec[fields.index("LSOA11CD")]: rec[fields.index("USUALRES")] for rec in reader.records()
    }
    counts = _counts(LSOA_FILE, "LSOA Code", "E09000004", "Borough")
    with_rate = [u for u in result.units if u.rate_per_1000 is not None]
    assert with_rate
    for unit in result.units:
        if unit.code in census:
            assert unit.rate_per_1000 == round(1000 * counts[unit.code] / census[unit.code], 2)
        else:  # a code new in 2021: no 2011 population, so no rate
            assert unit.rate_per_1000 is None


def test_no_population_at_all_says_how_to_get_rates() -> None:
    with Warehouse(":memory:") as wh:
        people = unit_populations(wh, "lsoa21", [("E01000325", b"", None)], 2024)
    assert people == Populations(sentence=people.sentence)
    assert "import the ONS mid-year population estimates by LSOA 2021" in people.sentence


def test_the_cli_says_which_population_the_rates_use(with_estimates: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["--data-dir", str(with_estimates), "hotspots", "--area", "Bexley", "--year", "2024"]
    common = ["--level", "ward", "--measure", "all_crime", "--permutations", "99"]
    assert main([*args, *common, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["population_source"].startswith("ONS mid-2022 estimates by LSOA 2021")
    assert all(u["population"] and u["rate_per_1000"] for u in data["units"])
    assert main([*args, *common, "--format", "table"]) == 0
    assert "Rates per 1,000 residents use the ONS mid-2022 estimates" in capsys.readouterr().out
    assert main([*args, *common, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_code = {u["code"]: u for u in data["units"]}
    assert {r["code"]: float(r["rate/1000"]) for r in rows} == {
        c: u["rate_per_1000"] for c, u in by_code.items()
    }
