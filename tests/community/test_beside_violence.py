"""Activity beside violence for a quarter: per ward, the serious violence count (checked
against the MPS LSOA file summed with csv, the LSOAs put in wards by the best-fit lookup) and
the activity held there; the map marks where the activity was."""

import csv
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from csphub.accounts.roles import ANALYST
from csphub.community import services
from csphub.people.geography import ward_for_lsoa
from tests.crime.conftest import LSOA_RECENT, crime_data_dir, with_crime_data  # noqa: F401
from tests.crime.test_hotspots import SV_MINORS

pytestmark = pytest.mark.realdata
QUARTER_MONTHS = ["202404", "202405", "202406"]  # 2024-25 Q1


def _ward_violence() -> Counter[str]:
    counts: Counter[str] = Counter()
    with LSOA_RECENT.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["Major Category"], row["Minor Category"])
            if row["Borough"] == "E09000004" and (key in SV_MINORS or (key[0], "*") in SV_MINORS):
                ward = ward_for_lsoa(row["LSOA Code"])
                if ward is not None:
                    counts[ward.name] += sum(int(row[m]) for m in QUARTER_MONTHS)
    return counts


def test_each_ward_shows_its_violence_and_its_activity(
    client_for,
    make_user,
    funding,
    places,
    with_crime_data,  # noqa: F811
):
    for day in (date(2024, 4, 10), date(2024, 5, 8)):
        services.do_record_activity(
            actor=funding.provider_staff,
            kind="outreach_bus",
            theme="knife_crime",
            topic="Bus",
            held_on=day,
            place=places["school"],
            delivered_by=funding.provider,
            people_reached=15,
        )
    response = client_for(make_user(ANALYST)).get(
        reverse("community:activity_map"), {"year": 2024, "quarter": 1}
    )
    html = response.content.decode()
    assert response.status_code == 200
    expected = _ward_violence()["Barnehurst"]
    row = html.split('<th scope="row" class="govuk-table__header">Barnehurst</th>')[1].split(
        "</tr>"
    )[0]
    cells = [c.split("</td>")[0] for c in row.split('govuk-table__cell--numeric">')[1:]]
    assert cells == [f"{expected:,}" if expected >= 1000 else str(expected), "2", "30"]
    assert "B2" in html  # the bus marked on the map at the school's LSOA
    assert "<svg" in html


def test_without_the_violence_permission_the_page_is_refused(client_for, funding):
    assert (
        client_for(funding.provider_staff).get(reverse("community:activity_map")).status_code == 403
    )
