"""The quarterly return: Home Office NRM statistics categories, suppressed as casework, and an
xlsx that LibreOffice opens."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from csphub.lib.periods import quarter_of
from csphub.nrm import returns, services
from csphub.nrm.choices import DecisionKind, ExploitationType, Outcome
from csphub.nrm.models import Referral
from tests.nrm.conftest import refer, taken_on, votes
from tests.soffice import require_soffice

pytestmark = pytest.mark.django_db
Q1 = quarter_of(date(2023, 5, 1))  # April to June 2023


def _seven_referrals(nrm):
    # Six criminal (county lines) referrals of boys aged 16 to 17, British, from the police,
    # received in April 2023; one sexual exploitation referral of a girl from overseas.
    made = []
    for i in range(6):
        made.append(
            taken_on(
                nrm,
                given_name=f"Boy{i}",
                received_on=date(2023, 4, 3 + i),
                date_of_birth=date(2006, 12, 1),
            )
        )
    refer(
        nrm,
        given_name="Girl",
        gender="female",
        nationality="Albanian",
        date_of_birth=date(2009, 1, 1),
        received_on=date(2023, 5, 2),
        exploitation_types=[ExploitationType.SEXUAL],
        county_lines=False,
        exploited_where="both",
        first_responder_type="local_authority",
    )
    refer(nrm, given_name="Earlier", received_on=date(2023, 3, 31))  # the quarter before
    for r in made:
        services.do_record_decision(
            actor=nrm.coordinator,
            referral=r,
            kind=DecisionKind.RG,
            meeting=nrm.meeting,
            decided_on=date(2023, 5, 9),
            outcome=Outcome.POSITIVE,
            chair=nrm.officer,
            votes=votes(nrm),
        )
    return made


def _table(rows):
    return {(r[0], r[1]): r[2] for r in rows}


def test_the_return_counts_by_category_and_suppresses_small_counts(nrm):
    _seven_referrals(nrm)
    got = _table(returns.suppressed_rows(Referral.objects.all(), Q1))
    # Gender: 6 male, 1 female (hidden as <5), 0 other, 0 not known; the total 7 would give the
    # female count away from the male one, so the male count is hidden too ("[c]").
    assert got[("Referrals by gender", "Male")] == "[c]"
    assert got[("Referrals by gender", "Female")] == "<5"
    assert got[("Referrals by gender", "Total")] == "7"
    # Types overlap, so that table has no total and only the small count is hidden.
    assert got[("Referrals by exploitation type", "Criminal exploitation")] == "6"
    assert got[("Referrals by exploitation type", "Sexual exploitation")] == "<5"
    assert got[("Referrals by exploitation type", "Of which county lines")] == "6"
    assert ("Referrals by exploitation type", "Total") not in got
    assert got[("Referrals by first responder type", "Police")] == "[c]"
    assert got[("Referrals by first responder type", "Local authority")] == "<5"
    assert got[("Referrals by nationality group", "Other nationality")] == "<5"
    assert got[("Referrals by age band and where exploited", "0 to 15, UK and overseas")] == "<5"
    assert got[("Referrals by age band and where exploited", "Total")] == "7"
    assert got[("Reasonable Grounds decisions by outcome", "Positive")] == "6"
    assert got[("Reasonable Grounds decisions by outcome", "Negative")] == "0"
    assert got[("Reasonable Grounds decisions by outcome", "Total")] == "6"


def test_the_xlsx_opens_in_libreoffice_with_the_expected_counts(nrm, client_for, tmp_path):
    require_soffice()
    _seven_referrals(nrm)
    response = client_for(nrm.coordinator).get(reverse("nrm:return_xlsx") + "?from=2023-04-01")
    assert response.status_code == 200
    book = tmp_path / "return.xlsx"
    book.write_bytes(response.content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "return.csv").read_text("utf-8"))))
    got = _table([r for r in rows if len(r) >= 3])
    assert rows[0] == ["Table", "Category", "Count"]
    assert got[("Referrals by exploitation type", "Criminal exploitation")] == "6"
    assert got[("Referrals by gender", "Female")] == "<5"
    assert got[("Referrals by gender", "Total")] == "7"
    assert got[("Reasonable Grounds decisions by outcome", "Positive")] == "6"


def test_the_csv_matches_and_the_return_is_refused_to_an_outsider(nrm, client_for):
    _seven_referrals(nrm)
    response = client_for(nrm.coordinator).get(reverse("nrm:return_csv") + "?from=2023-04-01")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Referrals by exploitation type", "Criminal exploitation", "6"] in rows
    assert client_for(nrm.outsider).get(reverse("nrm:return_csv")).status_code == 403
