"""Rates per 1,000 residents on the hot spot page and its CSV, and the map coloured by rate."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from csphub.accounts.roles import ANALYST
from csphub.crime import svg
from tests.crime.conftest import DATA, LSOA_RECENT
from tests.crime.test_hotspots import SV_MINORS, SVG, WARD_RECENT, _map, lsoa_counts
from tests.crimestats.population_files import (
    bexley_lsoas,
    invented_population,
    table,
    ward_of_lsoa,
    write_xlsx,
)

GEO = DATA / "geo" / "bexley"
LONDON_2011 = DATA / "geo" / "london" / "lsoa2011" / "LSOA_2011_London_gen_MHW.shp"
SV_2024 = {"measure": "serious_violence", "kind": "calendar", "year": "2024"}


def _warehouse(data_dir: Path, files: list[Path]) -> Path:
    from crimestats.config import warehouse_path
    from crimestats.importers import import_paths
    from crimestats.warehouse import Warehouse

    with Warehouse(warehouse_path(data_dir)) as wh:
        results = import_paths(files, wh, quiet=True)
    assert all(r.status == "imported" for r in results), [r.error for r in results]
    return data_dir


@pytest.fixture(scope="module")
def estimates_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MPS LSOA and ward files, Bexley's boundaries and an ONS mid-2022 workbook."""
    data_dir = tmp_path_factory.mktemp("crime-rates")
    workbook = write_xlsx(data_dir / "sapelsoasyoa2022.xlsx", table(2022))
    files = [LSOA_RECENT, WARD_RECENT, GEO / "bexley_lsoa21.geojson"]
    return _warehouse(data_dir, [*files, GEO / "bexley_wards2025.geojson", workbook])


@pytest.fixture
def analyst(make_user, client_for, settings, estimates_dir):
    settings.DATA_DIR = estimates_dir
    return client_for(make_user(ANALYST))


def _population() -> dict[str, int]:
    """Independent check: the populations the workbook gives, by LSOA code."""
    return {
        code: invented_population(i, 2022) for i, (code, _) in enumerate(bexley_lsoas(), start=1)
    }


def test_lsoa_rates_use_the_imported_estimate_and_say_so(analyst):
    page = analyst.get("/crime/hotspots/", {**SV_2024, "level": "lsoa"})
    html = page.content.decode()
    assert "Rates per 1,000 residents use the ONS mid-2022 estimate of each LSOA" in html
    assert "(ONS mid-2022 estimate)" in html  # beside the table's rate heading
    counts, people = lsoa_counts(SV_MINORS, 2024), _population()
    rows = list(
        csv.DictReader(
            io.StringIO(
                analyst.get("/crime/hotspots.csv", {**SV_2024, "level": "lsoa"}).content.decode()
            )
        )
    )
    assert len(rows) == 148
    for row in rows:
        expected = round(1000 * counts[row["code"]] / people[row["code"]], 2)
        assert float(row["rate_per_1000"]) == expected, row


def test_ward_rates_use_the_lsoas_best_fitted_to_each_ward(analyst):
    page = analyst.get("/crime/hotspots/", {**SV_2024, "level": "ward"})
    assert "each LSOA counted in the ward that contains its centre" in page.content.decode()
    fitted: Counter[str] = Counter()
    for code, people in _population().items():
        fitted[ward_of_lsoa()[code]] += people
    units = page.context["units"]
    assert {u["code"] for u in units} == set(fitted) and len(units) == 17
    for unit in units:
        assert unit["rate"] == round(1000 * int(unit["count"]) / fitted[unit["code"]], 2)


def test_the_map_can_be_coloured_by_rate(analyst):
    page = analyst.get("/crime/hotspots/", {**SV_2024, "level": "lsoa", "colour": "rate"})
    html = page.content.decode()
    units = {u["code"]: u for u in page.context["units"]}
    fills = {p.get("data-code"): p.get("fill") for p in _map(html).findall(f"{SVG}path")}
    assert set(fills.values()) <= set(svg.COUNT_SCALE)
    highest = max(units.values(), key=lambda u: u["rate"])
    lowest = min(units.values(), key=lambda u: u["rate"])
    assert fills[highest["code"]] == svg.COUNT_SCALE[-1]
    assert fills[lowest["code"]] != svg.COUNT_SCALE[-1]
    legend = page.context["legend"]
    assert all(item["label"].endswith("per 1,000 residents") for item in legend)
    assert legend[0]["label"].startswith(f"{lowest['rate']:,.1f}")
    assert legend[-1]["label"].endswith(f"{highest['rate']:,.1f} per 1,000 residents")
    assert "Crimes per 1,000 residents" in html  # the choice on the form
    assert f"({highest['rate']:,.2f} per 1,000 residents)" in html  # the area's hover text
    assert f">{highest['rate']:,.2f}</td>" in html  # and the ranked table, to two places


def test_a_rate_map_never_tells_a_hidden_count(analyst, settings):
    settings.CRIME_SMALL_AREA_SUPPRESSED_INTERNALLY = True
    page = analyst.get("/crime/hotspots/", {**SV_2024, "level": "lsoa", "colour": "rate"})
    units = page.context["units"]
    hidden = [u for u in units if not u["count"].isdigit()]
    shown = [u for u in units if u["count"].isdigit()]
    assert hidden and shown  # the test means something only with both
    assert all(u["rate"] is None for u in hidden)
    fills = {
        p.get("data-code"): p.get("fill") for p in _map(page.content.decode()).findall(f"{SVG}path")
    }
    assert {fills[u["code"]] for u in hidden} == {svg.MID_GREY}
    legend = page.context["legend"]
    assert legend[-1] == {"colour": svg.MID_GREY, "label": "Fewer than 5 crimes: no rate shown"}
    # The key's classes come from the shown rates alone.
    lowest = min(u["rate"] for u in shown)
    assert legend[0]["label"].startswith(f"{lowest:,.1f}")


def test_without_estimates_the_2011_census_is_labelled(
    make_user, client_for, settings, tmp_path_factory
):
    settings.DATA_DIR = _warehouse(
        tmp_path_factory.mktemp("crime-2011-rates"),
        [LSOA_RECENT, GEO / "bexley_lsoa21.geojson", LONDON_2011],
    )
    page = client_for(make_user(ANALYST)).get("/crime/hotspots/", {**SV_2024, "level": "lsoa"})
    html = page.content.decode()
    assert "Rates per 1,000 residents use the 2011 Census usual resident population" in html
    assert "(2011 Census)" in html
    assert any(u["rate"] is not None for u in page.context["units"])


def test_without_any_population_the_rate_map_is_grey_and_says_why(
    make_user, client_for, with_crime_data
):
    page = client_for(make_user(ANALYST)).get(
        "/crime/hotspots/", {**SV_2024, "level": "lsoa", "colour": "rate"}
    )
    html = page.content.decode()
    assert "No population is held for these areas, so no rates are shown" in html
    fills = {p.get("fill") for p in _map(html).findall(f"{SVG}path")}
    assert fills == {svg.LIGHT_GREY}
    assert page.context["legend"] == [
        {"colour": svg.LIGHT_GREY, "label": "No population held: no rate"}
    ]


def test_the_estimates_workbook_can_be_uploaded_and_a_bad_one_is_refused(
    make_user, client_for, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crimestats.warehouse import Warehouse
    from csphub.crime.warehouse import warehouse_file

    settings.DATA_DIR = tmp_path
    client = client_for(make_user(ANALYST))
    bad_rows = table(2022)
    bad_rows[3][4] = "about 1,500"
    bad = write_xlsx(tmp_path / "bad.xlsx", bad_rows).read_bytes()
    response = client.post(
        "/crime/import/", {"data_file": SimpleUploadedFile("sapelsoasyoa2022.xlsx", bad)}
    )
    assert response.status_code == 400
    assert "row 7, column &#x27;Total&#x27;" in response.content.decode()
    good = write_xlsx(tmp_path / "good.xlsx", table(2022)).read_bytes()
    response = client.post(
        "/crime/import/", {"data_file": SimpleUploadedFile("sapelsoasyoa2022.xlsx", good)}
    )
    assert response.status_code == 302
    with Warehouse(warehouse_file(), read_only=True) as wh:
        held = wh.con.execute("SELECT count(*), sum(population) FROM populations").fetchone()
    assert held == (148, sum(_population().values()))
    not_xlsx = SimpleUploadedFile("estimates.xlsx", b"LSOA 2021 Code,Total\n")
    response = client.post("/crime/import/", {"data_file": not_xlsx})
    assert response.status_code == 400
    assert "must be an Excel workbook (xlsx)" in response.content.decode()
