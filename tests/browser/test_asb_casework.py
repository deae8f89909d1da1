"""In a real browser at phone width: the ASB panel's co-ordinator records a victim risk
assessment, logs an incident and records a community protection warning on an ASB case, then
downloads its letter; every page is axe-clean and none scrolls sideways at 375 px."""

from __future__ import annotations

from pathlib import Path

from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.asb.models import Incident, RiskAssessment, ToolUse
from csphub.audit.models import AuditEvent
from tests.asb.conftest import asb  # noqa: F401  (the ASB panel and its case)
from tests.browser.conftest import axe_violations, fill_date

PHONE = 375


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert axe_violations(page) == []


def test_asb_casework_is_recorded_and_its_letter_downloaded_at_phone_width(
    partnership,
    asb,  # noqa: F811
    browser_page,
    live_server,
    browser_sign_in,
):
    page = browser_page
    page.set_viewport_size({"width": PHONE, "height": 812})
    TOTPDevice.objects.create(user=partnership.coordinator, name="phone", confirmed=True)
    browser_sign_in(page, partnership.coordinator)
    case_url = f"{live_server.url}/cases/{asb.case.pk}/"
    page.goto(case_url)
    assert "No victim risk assessment has been recorded." in page.content()
    _fits(page)

    page.get_by_role("link", name="Record a risk assessment").click()
    _fits(page)
    for code in ("repeat", "hate", "vulnerable", "fear"):  # 1 + 2 + 2 + 2 = 7: medium
        page.locator(f"input[name=q_{code}][value=yes]").check()
    for code in ("health", "routine", "children", "isolated", "property", "violence", "moving"):
        page.locator(f"input[name=q_{code}][value=no]").check()
    page.locator("input[name=q_self_harm][value=no]").check()
    fill_date(page, "Date of the assessment", "05/01/2026")
    page.get_by_role("button", name="Save the assessment").click()
    assert "Medium risk" in page.content() and "score 7 of 19" in page.content()
    assert RiskAssessment.objects.get().total == 7

    page.get_by_role("link", name="Log an incident").click()
    fill_date(page, "Date of the incident", "04/01/2026")
    page.get_by_label("Time of the incident (optional)").fill("23:40")
    page.get_by_label("Type of incident").select_option(label="Noise")
    page.get_by_label("What happened").fill("Music until 3am from the flat above")
    page.get_by_label("Reported by").select_option(label="The victim")
    page.get_by_label("Police reference (optional)").fill("CAD 1234")
    page.get_by_role("button", name="Log the incident").click()
    assert "Music until 3am from the flat above" in page.content()
    assert Incident.objects.get().police_reference == "CAD 1234"

    page.get_by_role("link", name="Record a tool or power").click()
    page.get_by_label("Tool or power").select_option(label="Community protection warning")
    page.get_by_label("Status").select_option(label="Issued")
    page.get_by_label("Name of the person it is for").fill("Dean Marsh")
    page.get_by_label("The behaviour it is about").fill("playing loud music late at night")
    fill_date(page, "Date issued (optional)", "10/01/2026")
    page.get_by_role("button", name="Record it").click()
    assert page.url == case_url
    _fits(page)
    tool = ToolUse.objects.get()

    with page.expect_download() as caught:
        page.get_by_role("link", name="PDF letter: Community protection warning").click()
    download = caught.value
    assert download.suggested_filename == f"cpw-{asb.case.reference}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    event = AuditEvent.objects.get(verb="asb.letter_downloaded")
    assert (event.actor_id, event.target_id) == (partnership.coordinator.pk, str(tool.pk))
