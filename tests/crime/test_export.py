"""CSV downloads: police counts as published, formulas neutralised, every download audited."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from crimestats.measures import default_measures_path, load_measures
from csphub.accounts.roles import ANALYST, EXECUTIVE
from csphub.audit.models import AuditEvent
from tests.crime.conftest import borough_total

HOMICIDE = {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")}
WEAPONS = {("POSSESSION OF WEAPONS", "*")}


def _rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_figures_csv_gives_bexleys_homicides_as_the_police_publish_them(
    make_user, client_for, with_crime_data
):
    # Police open data for a borough is public already: "four homicides in Bexley" is what the
    # partnership's own report says, so the download says it too (crimestats.disclosure).
    true_count = borough_total("Bexley", HOMICIDE, 2023)
    before = borough_total("Bexley", HOMICIDE, 2022)
    assert 0 < true_count < 5
    response = client_for(make_user(ANALYST)).get("/crime/figures.csv", {"year": "2023"})
    rows = _rows(response)
    [bexley] = [r for r in rows if r["measure_id"] == "homicide" and r["level"] == "borough"]
    assert bexley["area"] == "Bexley"
    assert (bexley["previous"], bexley["current"]) == (str(before), str(true_count))
    assert "[c]" not in bexley.values() and "<5" not in bexley.values()
    # Possession of weapons was once hidden as homicide's partner (secondary suppression).
    [weapons] = [
        r for r in rows if r["measure_id"] == "possession_of_weapons" and r["level"] == "borough"
    ]
    assert weapons["current"] == str(borough_total("Bexley", WEAPONS, 2023))


def test_figures_csv_carries_the_real_numbers(make_user, client_for, with_crime_data):
    rows = _rows(client_for(make_user(EXECUTIVE)).get("/crime/figures.csv", {"year": "2023"}))
    [sv] = [r for r in rows if r["measure_id"] == "serious_violence" and r["level"] == "borough"]
    sv_categories = {
        ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
        ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
        ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
        ("POSSESSION OF WEAPONS", "*"),
    }
    assert int(sv["current"]) == borough_total("Bexley", sv_categories, 2023)
    assert (sv["previous_period"], sv["current_period"], sv["baseline_period"]) == (
        "2022",
        "2023",
        "2019",
    )
    assert len({r["measure_id"] for r in rows}) == len(load_measures().measures)


def test_figures_download_is_audited(make_user, client_for, with_crime_data):
    analyst = make_user(ANALYST)
    client_for(analyst).get("/crime/figures.csv", {"year": "2023"})
    event = AuditEvent.objects.get(verb="crime.figures_exported")
    assert event.actor_id == analyst.pk
    assert event.payload == {"area": "E09000004", "period": "2023"}


@pytest.fixture
def formula_label(tmp_path, monkeypatch):
    """A measures file whose label is a spreadsheet formula (a user can edit the file)."""
    raw = yaml.safe_load(default_measures_path().read_text(encoding="utf-8"))
    raw["measures"]["serious_violence"]["label"] = '=HYPERLINK("http://example.invalid","x")'
    path = tmp_path / "measures.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setenv("CSPHUB_MEASURES", str(path))
    yield raw["measures"]["serious_violence"]["label"]


def test_figures_csv_neutralises_formulas(make_user, client_for, with_crime_data, formula_label):
    rows = _rows(client_for(make_user(ANALYST)).get("/crime/figures.csv", {"year": "2023"}))
    labels = {r["measure"] for r in rows if r["measure_id"] == "serious_violence"}
    assert labels == {"'" + formula_label}


def test_figures_csv_is_refused_to_those_without_download(make_user, client_for, with_crime_data):
    from csphub.accounts.roles import COORDINATOR

    response = client_for(make_user(COORDINATOR)).get("/crime/figures.csv")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb="crime.figures_exported").exists()
