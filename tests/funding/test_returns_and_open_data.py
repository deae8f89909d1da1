"""The monitoring return opens in LibreOffice with the figures entered, its columns come from
the data mapping, and the 360Giving export passes the standard's published schema."""

import csv
import io
import json
import subprocess
from decimal import Decimal

from django.urls import reverse

from csphub.funding import opendata, services
from csphub.funding.models import ReturnColumns
from tests.funding.conftest import YEAR
from tests.soffice import require_soffice


def _enter_q1(f):
    services.do_record_quarter(
        actor=f.provider_staff,
        item=f.bus,
        year=YEAR,
        quarter=1,
        spend=Decimal("5999.99"),
        forecasts={2: Decimal("6000.00")},
        actuals={f.bus_sessions: 8},
    )
    services.do_record_quarter(
        actor=f.other_staff,
        item=f.workshops,
        year=YEAR,
        quarter=1,
        spend=Decimal("4000.01"),
        actuals={f.workshop_count: 5},
    )


def test_the_xlsx_return_opens_in_libreoffice_with_the_figures(client_for, funding, tmp_path):
    require_soffice()
    _enter_q1(funding)
    url = reverse(
        "funding:return_xlsx", kwargs={"grant_id": funding.grant.pk, "year": YEAR, "quarter": 1}
    )
    response = client_for(funding.manager).get(url)
    assert response.status_code == 200
    book = tmp_path / "return.xlsx"
    book.write_bytes(response.content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # UTF-8
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader((tmp_path / "return.csv").open(encoding="utf-8")))  # the first sheet
    header = rows[0]
    assert header[:2] == ["Project reference", "Project name"]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert Decimal(by_name["Outreach bus"]["Quarter spend (£)"]) == Decimal("5999.99")
    assert Decimal(by_name["School workshops"]["Spend to date (£)"]) == Decimal("4000.01")
    # Forecast to year end for the bus: Q2 6000.00 entered, Q3 and Q4 their budgets of 6000.
    assert Decimal(by_name["Outreach bus"]["Forecast to year end (£)"]) == Decimal("18000")


def test_the_csv_follows_the_funders_own_column_mapping(client_for, funding):
    _enter_q1(funding)
    ReturnColumns.objects.create(
        funder=funding.mopac,
        columns={
            "finance": [["Ref", "reference"], ["Spent", "spend_quarter"]],
            "outputs": [["Ref", "reference"], ["Actual", "actual_quarter"], ["RAG", "rag"]],
        },
    )
    url = reverse(
        "funding:return_csv", kwargs={"grant_id": funding.grant.pk, "year": YEAR, "quarter": 1}
    )
    finance = list(csv.reader(io.StringIO(client_for(funding.manager).get(url).content.decode())))
    assert finance[0] == ["Ref", "Spent"]
    assert sorted(r[1] for r in finance[1:]) == ["4000.01", "5999.99"]
    outputs = list(
        csv.reader(
            io.StringIO(client_for(funding.manager).get(url, {"sheet": "outputs"}).content.decode())
        )
    )
    # Bus: 8 of a profile of 10 is 80%, amber; workshops 5 of 5, green.
    assert sorted(tuple(r[1:]) for r in outputs[1:]) == [("5", "Green"), ("8", "Amber")]


def test_the_360giving_json_is_valid_against_the_published_schema(client_for, funding):
    data = json.loads(client_for(funding.outsider).get(reverse("funding:open_data_json")).content)
    assert opendata.validation_errors(data) == []
    assert sorted(g["amountAwarded"] for g in data["grants"]) == [16000.0, 24000.0]
    assert {g["recipientOrganization"][0]["name"] for g in data["grants"]} == {
        "Safer Streets CIC",
        "Young Voices Trust",
    }


def test_the_schema_check_would_catch_a_missing_field(funding):
    data = opendata.package([funding.bus])
    del data["grants"][0]["awardDate"]
    assert opendata.validation_errors(data)


def test_the_360giving_csv_uses_the_standards_field_names(client_for, funding):
    text = client_for(funding.outsider).get(reverse("funding:open_data_csv")).content.decode()
    header = next(csv.reader(io.StringIO(text)))
    for name in (
        "Identifier",
        "Title",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Planned Dates:Start Date",
        "Grant Programme:Code",
    ):
        assert name in header
