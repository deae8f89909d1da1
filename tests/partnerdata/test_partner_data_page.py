"""/partner-data/: analysts import and see extracts, executives and the CSP administrator see
them, everyone else is refused; counts are shown suppressed as casework is."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csphub.partnerdata.models import Extract
from tests.partnerdata.conftest import ISTV_HEADER, ISTV_ROWS, csv_bytes, import_counts

URL = "/partner-data/"


def _upload(client, data, name="istv.csv"):
    return client.post(
        URL,
        {
            "data_file": SimpleUploadedFile(name, data, content_type="text/csv"),
            "layout": "istv",
            "supplier": "Queen Elizabeth Hospital A&E",
            "agreement_reference": "ISTV-ISA-2022",
            "area_code": "E09000004",
        },
    )


def test_the_page_is_mounted_where_the_docs_say():
    assert reverse("partnerdata:extract_list") == URL


def test_an_analyst_uploads_an_istv_file(world, client_for):
    client = client_for(world.analyst)
    response = _upload(client, csv_bytes(ISTV_HEADER, ISTV_ROWS))
    assert response.status_code == 302
    extract = Extract.objects.get()
    page = client.get(URL).content.decode()
    assert extract.sha256 in page and "ISTV-ISA-2022" in page
    # 6 attendances in all, shown; the 2 with a knife or sharp object under 25 are "<5".
    assert "A&amp;E attendances for assault (ISTV)</th>" in page
    assert ">6</td>" in page
    assert "&lt;5" in page


def test_a_bad_upload_shows_the_row_and_reason_and_keeps_nothing(world, client_for):
    bad = [*ISTV_ROWS[:1], ["2022-10-03", "25:61", "Street", "Knife", "18-24", "Male"]]
    response = _upload(client_for(world.analyst), csv_bytes(ISTV_HEADER, bad))
    assert response.status_code == 400
    body = response.content.decode()
    assert "istv.csv, row 3, column “Time”" in body and "is not a time" in body
    assert Extract.objects.count() == 0


def test_executive_and_csp_admin_read_but_cannot_upload(world, client_for):
    import_counts(world.analyst, [["2022-10", "E09000004", "knife_crime_victims", "12"]])
    for user in (world.executive, world.csp_admin):
        client = client_for(user)
        page = client.get(URL)
        assert page.status_code == 200
        assert "admissions.csv" in page.content.decode()
        assert 'type="file"' not in page.content.decode()
        assert _upload(client, csv_bytes(ISTV_HEADER, ISTV_ROWS)).status_code == 403
    assert Extract.objects.count() == 1


def test_owner_colleague_and_outsider_are_refused(world, client_for):
    import_counts(world.analyst, [["2022-10", "E09000004", "knife_crime_victims", "12"]])
    for user in (world.owner, world.colleague, world.outsider):
        response = client_for(user).get(URL)
        assert response.status_code == 403
        assert "admissions.csv" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "sign-in" in response["Location"]
