"""The hot spot page: a choropleth of the real Bexley LSOAs, the ranked table, the download."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from csphub.accounts.roles import ANALYST, EXECUTIVE
from csphub.audit.models import AuditEvent
from csphub.crime import svg
from tests.crime.conftest import LSOA_RECENT

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

SVG = "{http://www.w3.org/2000/svg}"
SV_MINORS = {
    ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("POSSESSION OF WEAPONS", "*"),
}


def lsoa_counts(categories: set[tuple[str, str]], year: int) -> Counter[str]:
    """Independent check: each Bexley LSOA's crimes in a year, summed with the csv module."""
    months = [f"{year}{m:02d}" for m in range(1, 13)]
    counts: Counter[str] = Counter()
    with LSOA_RECENT.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Borough"] != "E09000004":
                continue
            key = (row["Major Category"], row["Minor Category"])
            if key in categories or (key[0], "*") in categories:
                counts[row["LSOA Code"]] += sum(int(row[m]) for m in months)
    return counts


def _map(html: str) -> ET.Element:
    match = re.search(r'<figure class="csphub-map[^"]*">(<svg.*?</svg>)', html, re.S)
    assert match
    return ET.fromstring(match.group(1))


@pytest.fixture
def client(make_user, client_for, with_crime_data):
    return client_for(make_user(ANALYST))


def test_map_draws_every_bexley_lsoa_coloured_by_gistar(client):
    response = client.get(
        "/crime/hotspots/",
        {"measure": "serious_violence", "kind": "calendar", "year": "2024", "colour": "gistar"},
    )
    assert response.status_code == 200
    root = _map(response.content.decode())
    assert root.get("role") == "img"
    assert "Bexley" in (root.find(f"{SVG}title").text or "")  # type: ignore[union-attr]
    paths = root.findall(f"{SVG}path")
    assert len(paths) == 148  # the LSOA 2021 boundaries of Bexley
    assert {p.get("fill") for p in paths} <= set(svg.GISTAR_COLOURS.values())
    assert all(p.find(f"{SVG}title") is not None for p in paths)
    assert "Hot spot" in response.content.decode() and 'id="legend"' in response.content.decode()


def test_too_few_homicides_for_gistar_show_counts_and_the_reason(client):
    response = client.get(
        "/crime/hotspots/",
        {"measure": "homicide", "kind": "calendar", "year": "2024", "colour": "gistar"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    events = sum(lsoa_counts({("VIOLENCE AGAINST THE PERSON", "HOMICIDE")}, 2024).values())
    assert 0 < events < 30
    assert "No hot spots are shown: " in html and "too few for hot spot analysis" in html
    assert "Cold spot" not in html and "Hot spot</strong>" not in html
    fills = {p.get("fill") for p in _map(html).findall(f"{SVG}path")}
    assert fills <= set(svg.COUNT_SCALE) | {svg.LIGHT_GREY}  # counts, not Gi* colours
    assert svg.RED not in fills


def test_ranked_table_matches_the_lsoa_file(client):
    response = client.get("/crime/hotspots/", {"measure": "serious_violence", "year": "2024"})
    expected = lsoa_counts(SV_MINORS, 2024)
    units = response.context["units"]
    top_code, top_count = max(expected.items(), key=lambda kv: (kv[1], kv[0]))
    assert units[0]["code"] == top_code
    assert units[0]["count"] == str(top_count)
    assert [int(u["count"]) for u in units[:20]] == sorted(expected.values(), reverse=True)[:20]
    html = response.content.decode()
    table = html[html.index("with the most crime") :]
    assert table.count('<th scope="row"') == 20
    assert "(Getis-Ord Gi*, 999 random permutations" in html


def test_map_coloured_by_count_uses_the_count_scale(client):
    response = client.get(
        "/crime/hotspots/", {"measure": "all_crime", "year": "2024", "colour": "count"}
    )
    fills = {p.get("fill") for p in _map(response.content.decode()).findall(f"{SVG}path")}
    assert fills <= set(svg.COUNT_SCALE) and len(fills) == len(svg.COUNT_SCALE)
    assert len(response.context["legend"]) == len(svg.COUNT_SCALE)


def test_hotspot_download_for_the_partnership_gives_counts_as_published(
    make_user, client_for, with_crime_data
):
    weapons = lsoa_counts({("POSSESSION OF WEAPONS", "*")}, 2024)
    response = client_for(make_user(EXECUTIVE)).get(
        "/crime/hotspots.csv", {"measure": "possession_of_weapons", "year": "2024"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["code"]: int(r["count"]) for r in rows} == {
        r["code"]: weapons.get(r["code"], 0) for r in rows
    }
    assert "for-publication" not in response["Content-Disposition"]


def test_hotspot_download_for_publication_suppresses_small_counts_and_is_audited(
    make_user, client_for, with_crime_data
):
    executive = make_user(EXECUTIVE)
    weapons = {("POSSESSION OF WEAPONS", "*")}
    small = {code for code, n in lsoa_counts(weapons, 2024).items() if 0 < n < 5}
    assert small  # real LSOAs with one to four weapons offences
    response = client_for(executive).get(
        "/crime/hotspots.csv",
        {"measure": "possession_of_weapons", "year": "2024", "publication": "1"},
    )
    assert "for-publication" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) >= 148
    for row in rows:
        if row["code"] in small:
            assert row["count"] in ("<5", "[c]"), row
        assert row["count"] not in {"1", "2", "3", "4"}
        if not row["count"].isdigit():
            assert row["rate_per_1000"] == ""  # a rate would give the count away
    assert AuditEvent.objects.filter(verb="crime.hotspots_exported", actor_id=executive.pk).exists()


def test_count_breaks_split_into_quantiles():
    assert svg.count_breaks([0] * 10 + [50]) == [0, 50]
    assert svg.count_colour(50, [0, 50]) == svg.COUNT_SCALE[-1]
    assert svg.count_colour(0, [0, 50]) == svg.COUNT_SCALE[-2]


def test_chart_breaks_the_line_where_a_month_is_missing():
    root = ET.fromstring(
        svg.line_chart(
            labels=["Jan", "Feb", "Mar", "Apr"],
            series=[svg.Series("2023", [10, None, 12, 14], svg.BLUE)],
            title="t",
            description="d",
        )
    )
    assert len(root.findall(f"{SVG}polyline")) == 2
    assert len(root.findall(f"{SVG}circle")) == 3


@pytest.fixture(scope="module")
def both_vintages_dir(tmp_path_factory):
    """The MPS LSOA file with Bexley's LSOA 2021 and the whole London LSOA 2011 boundaries."""
    from crimestats.config import warehouse_path
    from crimestats.importers import import_paths
    from crimestats.warehouse import Warehouse
    from tests.crime.conftest import DATA

    data_dir = tmp_path_factory.mktemp("crime-2011")
    files = [
        LSOA_RECENT,
        DATA / "geo" / "bexley" / "bexley_lsoa21.geojson",
        DATA / "geo" / "london" / "lsoa2011" / "LSOA_2011_London_gen_MHW.shp",
    ]
    with Warehouse(warehouse_path(data_dir)) as wh:
        assert all(r.status == "imported" for r in import_paths(files, wh, quiet=True))
    return data_dir


def test_only_2021_lsoas_are_mapped_and_downloaded_when_both_vintages_are_imported(
    make_user, client_for, settings, both_vintages_dir
):
    import json

    from tests.crime.conftest import DATA

    settings.DATA_DIR = both_vintages_dir
    features = json.loads((DATA / "geo" / "bexley" / "bexley_lsoa21.geojson").read_text())
    lsoa21 = {f["properties"]["LSOA21CD"] for f in features["features"]}
    client = client_for(make_user(EXECUTIVE))
    query = {"measure": "serious_violence", "year": "2024"}
    page = client.get("/crime/hotspots/", query)
    assert {u["code"] for u in page.context["units"]} == lsoa21
    assert len(_map(page.content.decode()).findall(f"{SVG}path")) == 148
    rows = list(
        csv.DictReader(io.StringIO(client.get("/crime/hotspots.csv", query).content.decode()))
    )
    assert len(rows) == 148 and {r["code"] for r in rows} == lsoa21
    # Rates use the 2011 population where the code is unchanged.
    assert any(r["rate_per_1000"] for r in rows)


WARD_RECENT = (
    LSOA_RECENT.parents[1]
    / "ward"
    / "MPS Ward Level Crime (most recent 24 months) 202311-202510.csv"
)


@pytest.fixture(scope="module")
def wards_dir(tmp_path_factory):
    """The MPS LSOA and ward files with Bexley's LSOA 2021 and 2025 ward boundaries."""
    from crimestats.config import warehouse_path
    from crimestats.importers import import_paths
    from crimestats.warehouse import Warehouse
    from tests.crime.conftest import DATA

    data_dir = tmp_path_factory.mktemp("crime-wards")
    geo = DATA / "geo" / "bexley"
    files = [
        LSOA_RECENT,
        WARD_RECENT,
        geo / "bexley_lsoa21.geojson",
        geo / "bexley_wards2025.geojson",
    ]
    with Warehouse(warehouse_path(data_dir)) as wh:
        assert all(r.status == "imported" for r in import_paths(files, wh, quiet=True))
    return data_dir


def ward_counts(categories: set[tuple[str, str]], year: int) -> Counter[str]:
    """Independent check: each Bexley ward's crimes in a year, from the ward file with csv."""
    months = [f"{year}{m:02d}" for m in range(1, 13)]
    counts: Counter[str] = Counter()
    with WARD_RECENT.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["MajorText"], row["MinorText"])
            if row["LookUp_BoroughName"] == "Bexley" and (
                key in categories or (key[0], "*") in categories
            ):
                counts[row["WardCode"]] += sum(int(row[m]) for m in months)
    return counts


def test_user_chooses_wards_and_the_borough_by_gss_code(make_user, client_for, settings, wards_dir):
    settings.DATA_DIR = wards_dir
    client = client_for(make_user(ANALYST))
    query = {"area": "E09000004", "measure": "serious_violence", "year": "2024", "level": "ward"}
    response = client.get("/crime/hotspots/", query)
    assert response.status_code == 200
    assert response.context["result"].level == "ward"
    expected = ward_counts(SV_MINORS, 2024)
    assert len(expected) == 17
    assert {u["code"]: int(u["count"]) for u in response.context["units"]} == dict(expected)
    assert len(_map(response.content.decode()).findall(f"{SVG}path")) == 17
    rows = list(
        csv.DictReader(io.StringIO(client.get("/crime/hotspots.csv", query).content.decode()))
    )
    assert {r["code"] for r in rows} == set(expected)


def test_lsoa_is_the_default_and_can_be_chosen(make_user, client_for, settings, wards_dir):
    settings.DATA_DIR = wards_dir
    client = client_for(make_user(ANALYST))
    query = {"measure": "serious_violence", "year": "2024"}
    default = client.get("/crime/hotspots/", query)
    assert default.context["form"]["area"].value() == "Bexley"
    assert default.context["result"].level == "lsoa" and len(default.context["units"]) == 148
    chosen = client.get("/crime/hotspots/", {**query, "level": "lsoa", "area": "bexley"})
    assert [u["code"] for u in chosen.context["units"]] == [
        u["code"] for u in default.context["units"]
    ]


def test_another_borough_without_boundaries_says_so(make_user, client_for, settings, wards_dir):
    settings.DATA_DIR = wards_dir
    response = client_for(make_user(ANALYST)).get(
        "/crime/hotspots/", {"area": "Greenwich", "measure": "serious_violence", "year": "2024"}
    )
    assert response.status_code == 200 and "result" not in response.context
    assert "no lsoa boundaries for Greenwich" in response.context["unavailable"]
    assert "There is no map for" in response.content.decode()


def test_an_unknown_area_is_a_form_error(make_user, client_for, settings, wards_dir):
    settings.DATA_DIR = wards_dir
    response = client_for(make_user(ANALYST)).get("/crime/hotspots/", {"area": "Atlantis"})
    assert response.context["form"].errors["area"]
    assert "result" not in response.context


def test_the_map_is_labelled_with_the_ward_names_so_a_reader_can_place_it(
    make_user, client_for, settings, wards_dir
):
    import json

    from tests.crime.conftest import DATA

    features = json.loads((DATA / "geo" / "bexley" / "bexley_wards2025.geojson").read_text())
    names = {f["properties"]["WD25NM"] for f in features["features"]}
    assert len(names) == 17
    settings.DATA_DIR = wards_dir
    client = client_for(make_user(ANALYST))
    for level in ("lsoa", "ward"):
        response = client.get(
            "/crime/hotspots/", {"measure": "serious_violence", "year": "2024", "level": level}
        )
        root = _map(response.content.decode())
        labels = {
            t.text for t in root.findall(f"{SVG}text") if t.get("class") == "csphub-map-label"
        }
        assert labels == names, level
        desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
        assert "Ward names are written on the map" in desc


def test_a_small_area_threshold_below_one_is_a_system_check_error(settings):
    from django.core.checks import run_checks

    settings.CRIME_SMALL_AREA_THRESHOLD = 0
    errors = [e for e in run_checks() if e.id == "crime.E001"]
    assert len(errors) == 1 and "must be at least 1" in errors[0].msg
    settings.CRIME_SMALL_AREA_THRESHOLD = 5
    assert not [e for e in run_checks() if e.id == "crime.E001"]


def test_the_page_writes_counts_with_thousands_separators(
    make_user, client_for, settings, wards_dir
):
    # Wards are big enough for four-figure counts: the page groups them, the CSV does not.
    settings.DATA_DIR = wards_dir
    client = client_for(make_user(ANALYST))
    query = {"measure": "all_crime", "year": "2024", "level": "ward"}
    response = client.get("/crime/hotspots/", {**query, "colour": "count"})
    html = response.content.decode()
    every_major_but_fraud = {
        "ARSON AND CRIMINAL DAMAGE",
        "BURGLARY",
        "DRUG OFFENCES",
        "MISCELLANEOUS CRIMES AGAINST SOCIETY",
        "POSSESSION OF WEAPONS",
        "PUBLIC ORDER OFFENCES",
        "ROBBERY",
        "SEXUAL OFFENCES",
        "THEFT",
        "VEHICLE OFFENCES",
        "VIOLENCE AGAINST THE PERSON",
    }
    counts = ward_counts({(major, "*") for major in every_major_but_fraud}, 2024)
    top = sorted(counts.values(), reverse=True)[:20]  # the ranked table's rows
    grouped = [n for n in top if n >= 1000]
    assert len(grouped) >= 3  # several wards have over a thousand crimes a year
    for n in grouped:
        assert f'numeric">{n:,}</td>' in html
        assert f'numeric">{n}</td>' not in html
        assert f": {n:,} crimes" in html  # the map's hover text
    rows = list(
        csv.DictReader(io.StringIO(client.get("/crime/hotspots.csv", query).content.decode()))
    )
    assert all(r["count"].isdigit() for r in rows)
