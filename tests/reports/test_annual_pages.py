"""The annual report's pages as the CSP manager (who signs off), an analyst (who builds and
writes), an executive (who reads), an outsider (a practitioner) and a visitor signed out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.reports.models import AnnualReport, Narrative
from csphub.reports.services import do_build_annual_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_crime_data(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # no warehouse: the crime section says so


@pytest.fixture
def built(make_user: Any) -> AnnualReport:
    return do_build_annual_report(actor=make_user("analyst"), year=2023)


def test_the_manager_signs_off_a_build_once(
    built: AnnualReport, make_user: Any, client_for: Any
) -> None:
    manager = make_user("csp_admin")
    client = client_for(manager)
    page = client.get(reverse("reports:annual"), {"year": 2023})
    assert page.status_code == 200
    assert "Sign off this build" in page.content.decode()
    url = reverse("reports:annual_sign_off", args=[built.id])
    assert client.post(url).status_code == 302
    built.refresh_from_db()
    assert built.signed_off_by == manager and built.signed_off_at is not None
    assert AuditEvent.objects.filter(verb="reports.annual_signed_off").count() == 1
    client.post(url)  # a second sign-off is refused, and the first stands
    built.refresh_from_db()
    assert built.signed_off_by == manager
    assert AuditEvent.objects.filter(verb="reports.annual_signed_off").count() == 1


def test_an_analyst_builds_and_writes_but_cannot_sign_off(
    built: AnnualReport, make_user: Any, client_for: Any
) -> None:
    analyst = make_user("analyst")
    client = client_for(analyst)
    assert client.post(reverse("reports:annual_build"), {"year": 2023}).status_code == 302
    assert AnnualReport.objects.filter(year=2023, built_by=analyst).count() == 1
    edit = reverse("reports:narrative_edit", args=[2023, "funding"])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"text": "Funding paid for two posts."}).status_code == 302
    narrative = Narrative.objects.get(year=2023, section="funding")
    assert narrative.written_by == analyst and narrative.text == "Funding paid for two posts."
    assert client.post(reverse("reports:annual_sign_off", args=[built.id])).status_code == 403
    built.refresh_from_db()
    assert built.signed_off_by is None


def test_a_stale_narrative_save_is_a_conflict(make_user: Any, client_for: Any) -> None:
    first, second = client_for(make_user("analyst")), client_for(make_user("csp_admin"))
    edit = reverse("reports:narrative_edit", args=[2023, "crime"])
    first.post(edit, {"text": "One."})
    assert second.post(edit, {"text": "Two.", "version": 1}).status_code == 302
    response = first.post(edit, {"text": "Three.", "version": 1})
    assert response.status_code == 409
    assert Narrative.objects.get(year=2023, section="crime").text == "Two."


def test_an_executive_reads_and_downloads_but_neither_builds_nor_writes(
    built: AnnualReport, make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user("executive"))
    page = client.get(reverse("reports:annual"), {"year": 2023}).content.decode()
    assert "Partnership delivery in 2023" in page and "Build the 2023 report" not in page
    html = client.get(reverse("reports:annual_html", args=[built.id]))
    assert html.status_code == 200 and built.html in html.content.decode()
    pdf = client.get(reverse("reports:annual_pdf", args=[built.id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("reports:annual_docx", args=[built.id]))
    assert docx.status_code == 200 and docx.content == bytes(built.docx)
    assert docx.content.startswith(b"PK")  # a Word document is a zip
    assert client.post(reverse("reports:annual_build"), {"year": 2023}).status_code == 403
    edit = reverse("reports:narrative_edit", args=[2023, "crime"])
    assert client.post(edit, {"text": "x"}).status_code == 403
    assert AnnualReport.objects.count() == 1 and not Narrative.objects.exists()


@pytest.mark.parametrize(
    "name", ["annual", "annual_html", "annual_pdf", "annual_docx", "annual_sign_off"]
)
def test_an_outsider_is_refused_every_page(
    name: str, built: AnnualReport, make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user("practitioner"))
    url = reverse(f"reports:{name}", args=[] if name == "annual" else [built.id])
    response = client.post(url) if name == "annual_sign_off" else client.get(url)
    assert response.status_code == 403
    built.refresh_from_db()
    assert built.signed_off_by is None


def test_a_visitor_signed_out_is_sent_to_sign_in(built: AnnualReport, client: Any) -> None:
    response = client.get(reverse("reports:annual_html", args=[built.id]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_a_report_without_data_says_so_plainly(built: AnnualReport) -> None:
    assert "No police recorded crime data has been imported." in built.html
    assert "No VVRAP quarterly return is recorded." in built.html
    assert "This section holds no figures: it is the partnership&#x27;s own account." in built.html


def test_the_duty_section_gives_the_assessment_refreshed_by_the_years_end(
    make_user: Any,
) -> None:
    from csphub.reports.build import build
    from csphub.vvrap.models import AssessmentStatus

    manager = make_user("csp_admin")
    duty = next(s for s in build(manager, 2023).sections if s.key == "sv_duty")
    assert (
        duty.absent
        == "No refresh of the joint strategic assessment by the end of 2023 is recorded."
    )
    for day in (date(2023, 3, 1), date(2023, 11, 30), date(2024, 1, 20)):
        AssessmentStatus.objects.create(refreshed_on=day, recorded_by=manager)
    duty = next(s for s in build(manager, 2023).sections if s.key == "sv_duty")
    # The latest refresh on or before 31 December 2023: not January 2024's.
    assert [s.text for s in duty.sentences] == [
        "The joint strategic assessment was last refreshed on 30 November 2023."
    ]
