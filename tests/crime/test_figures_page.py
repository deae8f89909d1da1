"""The figures page on the real MPS files: numbers checked against sums made with the csv module."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from csphub.accounts.roles import ANALYST, EXECUTIVE
from tests.crime.conftest import DATA, borough_total, months_total
from tests.realdata import LONDON_BOROUGHS

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

SVG = "{http://www.w3.org/2000/svg}"
SERIOUS_VIOLENCE = {
    ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("POSSESSION OF WEAPONS", "*"),
}
VIOLENCE_WITH_INJURY = {("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY")}
SOUTH_EAST = ("Bexley", "Greenwich", "Lewisham")


@pytest.fixture
def analyst_page(make_user, client_for, with_crime_data):
    client = client_for(make_user(ANALYST))
    return client.get(
        "/crime/",
        {"area": "Bexley", "kind": "calendar", "year": "2023", "chart": "serious_violence"},
    )


def _section(html: str, measure_id: str) -> str:
    start = html.index(f'<h3 class="govuk-heading-m" id="{measure_id}">')
    return html[start : html.index("</section>", start)]


def _row(section: str, name: str) -> list[str]:
    row = re.search(rf'<th scope="row"[^>]*>{name}.*?</tr>', section, re.S)
    assert row, name
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]


@pytest.mark.parametrize(
    ("measure", "categories"),
    [("serious_violence", SERIOUS_VIOLENCE), ("violence_with_injury", VIOLENCE_WITH_INJURY)],
)
def test_bexley_2023_figures_match_the_mps_csv(analyst_page, measure, categories):
    assert analyst_page.status_code == 200
    previous = borough_total("Bexley", categories, 2022)
    current = borough_total("Bexley", categories, 2023)
    baseline = borough_total("Bexley", categories, 2019)
    bcu = sum(borough_total(b, categories, 2023) for b in SOUTH_EAST)
    section = _section(analyst_page.content.decode(), measure)
    bexley = _row(section, "Bexley")
    assert bexley[0] == f"{previous:,}"
    assert bexley[1] == f"{current:,}"
    assert bexley[2] == f"{100 * (current - previous) / previous:+.1f}%"
    assert bexley[4] == f"{baseline:,}"
    assert _row(section, "South East")[1] == f"{bcu:,}"
    london = sum(borough_total(b, categories, 2023) for b in LONDON_BOROUGHS)
    assert _row(section, "London")[1] == f"{london:,}"


def test_the_sentence_an_analyst_would_write(analyst_page):
    previous = borough_total("Bexley", SERIOUS_VIOLENCE, 2022)
    current = borough_total("Bexley", SERIOUS_VIOLENCE, 2023)
    change = 100 * (current - previous) / previous
    london_previous = sum(borough_total(b, SERIOUS_VIOLENCE, 2022) for b in LONDON_BOROUGHS)
    london_current = sum(borough_total(b, SERIOUS_VIOLENCE, 2023) for b in LONDON_BOROUGHS)
    london_change = 100 * (london_current - london_previous) / london_previous
    page = analyst_page.context["page"]
    assert change > 0  # the real 2023 figure rose
    expected = (
        f"Bexley recorded a {change:.1f}% increase in serious violence "
        f"({previous:,} in 2022, {current:,} in 2023), against "
    )
    [sentence] = [s for s in page.sentences if "in serious violence" in s]
    assert sentence.startswith(expected)
    direction = "increase" if london_change > 0 else "decrease"
    assert f"{abs(london_change):.1f}% {direction} for London" in sentence
    assert sentence in analyst_page.content.decode()


def test_trend_chart_is_an_accessible_well_formed_svg(analyst_page):
    html = analyst_page.content.decode()
    match = re.search(r'<figure class="csphub-chart[^"]*">\s*(<svg.*?</svg>)', html, re.S)
    assert match
    svg = ET.fromstring(match.group(1))
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None and "Serious violence" in (title.text or "")
    assert svg.find(f"{SVG}desc") is not None
    assert len(svg.findall(f"{SVG}polyline")) == 2  # 2022 and 2023, no gaps
    assert len(svg.findall(f"{SVG}circle")) == 24


def test_monthly_table_adds_up_to_the_year(analyst_page):
    trend = analyst_page.context["trend"]
    assert len(trend) == 12
    assert sum(r["current"].value for r in trend) == borough_total("Bexley", SERIOUS_VIOLENCE, 2023)
    assert sum(r["previous"].value for r in trend) == borough_total(
        "Bexley", SERIOUS_VIOLENCE, 2022
    )


def test_small_police_counts_are_shown_as_published_on_the_page(analyst_page):
    homicide = borough_total("Bexley", {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")}, 2023)
    assert 0 < homicide < 5  # the real figure is small, which is what this test is about
    html = analyst_page.content.decode()
    row = _row(_section(html, "homicide"), "Bexley")
    assert row[1] == str(homicide)
    assert "[c]" not in row and "&lt;5" not in row
    weapons = borough_total("Bexley", {("POSSESSION OF WEAPONS", "*")}, 2023)
    assert _row(_section(html, "possession_of_weapons"), "Bexley")[1] == f"{weapons:,}"


def test_a_small_2019_baseline_is_shown_as_published(make_user, client_for, with_crime_data):
    homicide = {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")}
    previous, current, baseline = (
        borough_total("Lewisham", homicide, y) for y in (2022, 2023, 2019)
    )
    assert previous >= 5 and current >= 5 and 0 < baseline < 5  # the real Lewisham figures
    page = client_for(make_user(ANALYST)).get("/crime/", {"area": "Lewisham", "year": "2023"})
    row = _row(_section(page.content.decode(), "homicide"), "Lewisham")
    assert row[0] == str(previous) and row[1] == str(current)
    assert row[4] == str(baseline)
    assert row[5] == f"{100 * (current - baseline) / baseline:+.1f}%"
    response = client_for(make_user(ANALYST)).get(
        "/crime/figures.csv", {"area": "Lewisham", "year": "2023"}
    )
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    [line] = [r for r in rows if r["measure_id"] == "homicide" and r["level"] == "borough"]
    assert line["baseline"] == str(baseline)
    assert float(line["change_vs_baseline_pct"]) == round(100 * (current - baseline) / baseline, 1)


def test_each_figure_names_its_categories_and_source_files(analyst_page):
    section = _section(analyst_page.content.decode(), "serious_violence")
    assert "VIOLENCE AGAINST THE PERSON/VIOLENCE WITH INJURY" in section
    assert "MPS Borough Level Crime (Historical) 201004-202402.csv" in section
    assert "MPS Borough Level Crime (most recent 24 months) 202311-202510.csv" in section


def test_financial_and_sv_duty_years(make_user, client_for, with_crime_data):
    client = client_for(make_user(EXECUTIVE))
    fy = client.get("/crime/", {"kind": "financial", "year": "2023"}).context["page"]
    assert (fy.current.label, fy.previous.label, fy.baseline.label) == (
        "2023-24",
        "2022-23",
        "2018-19",
    )
    sv = client.get("/crime/", {"kind": "sv_duty", "year": "2023"}).context["page"]
    assert (sv.current.start.isoformat(), sv.current.end.isoformat()) == (
        "2022-10-01",
        "2023-09-01",
    )


def test_default_area_is_the_partnerships_borough(make_user, client_for, with_crime_data, settings):
    settings.CRIME_AREA = "E09000023"  # Lewisham, by GSS code
    page = client_for(make_user(ANALYST)).get("/crime/").context["page"]
    assert page.area.name == "Lewisham"


def test_about_page_lists_definitions_and_provenance(make_user, client_for, with_crime_data):
    html = client_for(make_user(EXECUTIVE)).get("/crime/about/").content.decode()
    assert 'id="measure-serious_violence"' in html
    assert "MPS Borough Level Crime (most recent 24 months) 202311-202510.csv" in html
    assert "bexley_lsoa21.geojson" in html


def test_home_card_shows_the_latest_year(make_user, client_for, with_crime_data):
    html = client_for(make_user(EXECUTIVE)).get("/").content.decode()
    # The MPS borough files end in October 2025, so the latest whole calendar year is 2024.
    expected = borough_total("Bexley", SERIOUS_VIOLENCE, 2024)
    assert "Serious violence, 2024" in html
    assert f"{expected:,}" in html


def test_no_data_yet_is_an_honest_empty_state(make_user, client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    response = client_for(make_user(ANALYST)).get("/crime/")
    assert response.status_code == 200
    assert "No crime data has been imported yet." in response.content.decode()
    assert not (tmp_path / "crimestats").exists()  # looking never creates a warehouse


def test_warehouse_held_by_another_process_gives_a_clear_503(
    make_user, client_for, settings, tmp_path
):
    import subprocess
    import sys

    from crimestats.warehouse import Warehouse
    from csphub.crime.warehouse import warehouse_file

    settings.DATA_DIR = tmp_path
    Warehouse(warehouse_file()).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(warehouse_file()),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        response = client_for(make_user(ANALYST)).get("/crime/")
        assert response.status_code == 503
        assert "The crime data is being updated" in response.content.decode()
    finally:
        holder.communicate("")


def test_changes_read_naturally():
    from csphub.crime.selectors import _signed

    assert [_signed(1.94), _signed(-0.3), _signed(-0.04), _signed(0.0), _signed(None)] == [
        "+1.9%",
        "-0.3%",
        "0.0%",
        "0.0%",
        "",
    ]


def _weights() -> dict[str, float]:
    """The shipped weights for the MPS 2023 classification, read with the csv module."""
    import csv

    from crimestats.config import PACKAGE_DATA

    with (PACKAGE_DATA / "severity_weights.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["selector"]: float(r["weight"])
            for r in csv.DictReader(fh)
            if r["source"] == "mps_2023"
        }


def _harm(borough: str, categories: set[tuple[str, str]], year: int) -> float:
    """Independent check: each (major, minor) count from the CSV times its weight, added up."""
    import csv

    from tests.crime.conftest import HISTORICAL, RECENT

    weights = _weights()
    months = [f"{year}{m:02d}" for m in range(1, 13)]
    total = 0.0
    for path, wanted in (
        (HISTORICAL, [m for m in months if m < "202311"]),
        (RECENT, [m for m in months if m >= "202311"]),
    ):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                key = (row["MajorText"], row["MinorText"])
                if row["BoroughName"] != borough or not (
                    key in categories or (key[0], "*") in categories
                ):
                    continue
                weight = weights.get(f"{key[0]}/{key[1]}", weights.get(f"{key[0]}/*", 0.0))
                total += weight * sum(int(row[m]) for m in wanted)
    return total


def test_harm_weighted_view_is_a_toggle_labelled_approximate(
    make_user, client_for, with_crime_data
):
    client = client_for(make_user(ANALYST))
    query = {"area": "Bexley", "year": "2023"}
    plain = client.get("/crime/", query).content.decode()
    assert "Harm-weighted" not in plain and 'id="harm-note"' not in plain
    html = client.get("/crime/", {**query, "harm": "on"}).content.decode()
    assert 'id="harm-note"' in html and "approximate" in html
    previous, current = (_harm("Bexley", SERIOUS_VIOLENCE, y) for y in (2022, 2023))
    row = _row(_section(html, "serious_violence"), "Bexley")
    assert row[1] == f"{borough_total('Bexley', SERIOUS_VIOLENCE, 2023):,}"  # counts still there
    assert row[6:9] == [
        f"{previous:,.0f}",
        f"{current:,.0f}",
        f"{100 * (current - previous) / previous:+.1f}%",
    ]
    homicide = _row(_section(html, "homicide"), "Bexley")
    homicide_set = {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")}
    assert homicide[7] == f"{_harm('Bexley', homicide_set, 2023):,.0f}"  # shown, as the count is
    knife = _section(html, "knife_crime")
    assert "No harm weights for this source" in knife


def test_harm_weighted_csv(make_user, client_for, with_crime_data):
    import csv
    import io

    response = client_for(make_user(ANALYST)).get(
        "/crime/figures.csv", {"area": "Bexley", "year": "2023", "harm": "on"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    [sv] = [r for r in rows if r["measure_id"] == "serious_violence" and r["level"] == "borough"]
    assert float(sv["harm_current_approx"]) == round(_harm("Bexley", SERIOUS_VIOLENCE, 2023), 1)
    assert float(sv["harm_previous_approx"]) == round(_harm("Bexley", SERIOUS_VIOLENCE, 2022), 1)
    assert "approximate" in sv["harm_weights"]
    [hom] = [r for r in rows if r["measure_id"] == "homicide" and r["level"] == "borough"]
    homicide_set = {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")}
    assert float(hom["harm_current_approx"]) == round(_harm("Bexley", homicide_set, 2023), 1)
    plain = client_for(make_user(ANALYST)).get("/crime/figures.csv", {"year": "2023"})
    assert "harm_current_approx" not in plain.content.decode().splitlines()[0]


def test_area_may_be_given_as_a_gss_code(make_user, client_for, with_crime_data):
    response = client_for(make_user(ANALYST)).get("/crime/", {"area": "E09000004", "year": "2023"})
    assert response.status_code == 200
    assert response.context["page"].area.name == "Bexley"


def test_missing_street_rows_say_restore_not_try_again(make_user, client_for, settings, tmp_path):
    from crimestats.importers import import_paths
    from crimestats.warehouse import Warehouse
    from csphub.crime.warehouse import warehouse_file

    settings.DATA_DIR = tmp_path
    street = DATA / "police-uk" / "city-of-london" / "2023-01-city-of-london-street.csv"
    with Warehouse(warehouse_file()) as wh:
        assert [r.status for r in import_paths([street], wh, quiet=True)] == ["imported"]
        [rows_file] = wh.street_files()
    rows_file.unlink()
    client = client_for(make_user(ANALYST))
    response = client.get("/crime/")
    assert response.status_code == 503
    assert "part of it is missing" in response.content.decode()
    assert client.get("/crime/hotspots/").status_code == 503


def test_a_comparison_crossing_connect_says_so_on_the_page_the_chart_and_the_csv(
    make_user, client_for, with_crime_data
):
    client = client_for(make_user(ANALYST))
    html = client.get("/crime/", {"area": "Bexley", "year": "2024"}).content.decode()
    caveats = html[html.index('id="caveats"') :]
    assert "MPS move to the CONNECT recording system" in caveats[: caveats.index("</div>")]
    assert 'id="no-caveat"' not in html
    chart = html[
        html.index('id="trend-title"') : html.index("</svg>", html.index('id="trend-title"'))
    ]
    assert 'class="csphub-chart-mark"' in chart
    assert "MPS move to the CONNECT recording system, Feb 2024" in chart
    import csv
    import io

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/crime/figures.csv", {"area": "Bexley", "year": "2024"}
                ).content.decode()
            )
        )
    )
    [sv] = [r for r in rows if r["measure_id"] == "serious_violence" and r["level"] == "borough"]
    assert sv["caveats"].startswith("MPS move to the CONNECT recording system: ")


def test_a_comparison_crossing_no_break_says_it_carries_no_caveat(analyst_page):
    html = analyst_page.content.decode()
    assert 'id="caveats"' not in html and 'class="csphub-chart-mark"' not in html
    assert (
        "No known break in recording affects the comparison of 2023 with 2022, "
        "so it carries no caveat."
    ) in html


def _months(first: str, last: str) -> list[str]:
    out, y, m = [], int(first[:4]), int(first[4:])
    while f"{y}{m:02d}" <= last:
        out.append(f"{y}{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_rolling_twelve_months_against_the_twelve_before(make_user, client_for, with_crime_data):
    # The borough files run to October 2025: the rolling year is November 2024 to October 2025.
    response = client_for(make_user(ANALYST)).get("/crime/", {"area": "Bexley", "kind": "rolling"})
    page = response.context["page"]
    assert (page.current.label, page.previous.label) == (
        "year ending October 2025",
        "year ending October 2024",
    )
    [bexley] = [line for line in page.table("serious_violence").lines if line.level == "borough"]
    assert bexley.current.value == months_total(
        "Bexley", SERIOUS_VIOLENCE, _months("202411", "202510")
    )
    assert bexley.previous.value == months_total(
        "Bexley", SERIOUS_VIOLENCE, _months("202311", "202410")
    )
    # The pre-pandemic baseline is the same twelve months ending before March 2020.
    assert page.baseline.label == "year ending October 2019"
    html = response.content.decode()
    assert "Data run to October 2025." in html
    assert "year ending October 2025" in html
    assert "year ending October 2019 baseline" in html
    assert "2018-11" not in html


def test_a_serious_violence_duty_year_reads_as_ons_writes_it(
    make_user, client_for, with_crime_data
):
    response = client_for(make_user(ANALYST)).get(
        "/crime/", {"area": "Bexley", "kind": "sv_duty", "year": "2024"}
    )
    page = response.context["page"]
    assert (page.current.label, page.previous.label, page.baseline.label) == (
        "year ending September 2024",
        "year ending September 2023",
        "year ending September 2019",
    )
    assert "Bexley: year ending September 2024 compared with year ending September 2023" in (
        response.content.decode()
    )


def test_the_latest_month_against_the_same_month_a_year_earlier(
    make_user, client_for, with_crime_data
):
    response = client_for(make_user(ANALYST)).get("/crime/", {"area": "Bexley", "kind": "month"})
    page = response.context["page"]
    assert (page.current.label, page.previous.label) == ("October 2025", "October 2024")
    [bexley] = [line for line in page.table("serious_violence").lines if line.level == "borough"]
    assert bexley.current.value == months_total("Bexley", SERIOUS_VIOLENCE, ["202510"])
    assert bexley.previous.value == months_total("Bexley", SERIOUS_VIOLENCE, ["202410"])


def test_robbery_detail_gives_the_knife_and_phone_shares_of_personal_robbery(
    make_user, client_for, with_crime_data
):
    import duckdb

    dashboard = DATA / "mps" / "dashboard"

    def dashboard_sum(file: str, subtype: str) -> int:
        path = dashboard / f"MPS Monthly Crime Dashboard {file} (normalised columns).parquet"
        return int(
            duckdb.execute(
                f"SELECT sum(count) FROM read_parquet('{path}') WHERE area_type = 'Borough' "
                "AND area_name = 'Bexley' AND crime_subtype = ? AND measure = 'Offences' "
                "AND year(month_year) = 2024",
                [subtype],
            ).fetchall()[0][0]
        )

    robbery = borough_total("Bexley", {("ROBBERY", "ROBBERY OF PERSONAL PROPERTY")}, 2024)
    knife = dashboard_sum("knife 202203-202602", "Knife Crime with Injury (Personal Robbery)")
    phone = dashboard_sum("other 202108-202507", "Robbery Mobile phone")
    assert 0 < knife < phone < robbery
    response = client_for(make_user(ANALYST)).get("/crime/", {"area": "Bexley", "year": "2024"})
    shares = {s.label: (s.part, s.whole) for s in response.context["robbery"]}
    assert shares == {
        "Personal robbery with a knife causing injury": (knife, robbery),
        "Personal robbery of a mobile phone": (phone, robbery),
    }
    html = response.content.decode()
    assert f"{100 * knife / robbery:.1f}% ({knife:,} of {robbery:,})" in html
    assert f"{100 * phone / robbery:.1f}% ({phone:,} of {robbery:,})" in html


def test_a_warehouse_with_boundaries_but_no_crime_says_there_is_no_data(
    make_user, client_for, settings, tmp_path
):
    from crimestats import Warehouse, import_paths, warehouse_path

    with Warehouse(warehouse_path(tmp_path)) as wh:
        [result] = import_paths(
            [DATA / "geo" / "bexley" / "bexley_wards2025.geojson"], wh, quiet=True
        )
        assert result.status == "imported"
    settings.DATA_DIR = tmp_path
    client = client_for(make_user(ANALYST))
    for url in ("/crime/", "/crime/hotspots/"):
        html = client.get(url).content.decode()
        assert "No crime data has been imported yet." in html, url
        assert "Data run to" not in html
