"""An ASB case review in real Chromium: application, complaints, working-day timescales,
the threshold decision, and the audited reveal of the applicant; pages pass axe-core."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.accounts.roles import COORDINATOR
from csphub.audit.models import AuditEvent
from csphub.casereview.models import CaseReview
from tests.browser.conftest import axe_violations, fill_date, screenshot
from tests.factories import AgencyFactory

pytestmark = pytest.mark.browser


def test_a_coordinator_takes_an_application_to_a_threshold_decision(
    browser_page, live_server, browser_sign_in, make_user
):
    police = AgencyFactory(name="Metropolitan Police South East BCU", kind="police")
    coordinator = make_user(COORDINATOR, full_name="Sam Okafor")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    page = browser_page
    browser_sign_in(page, coordinator)

    page.get_by_role("link", name="ASB case reviews").first.click()
    page.get_by_role("link", name="Record an application").click()
    # Received Monday 24 April 2023: the 10-working-day deadline skips 1 May and the
    # Coronation bank holiday (8 May 2023).
    fill_date(page, "Date the application was received", "24/04/2023")
    page.get_by_label("Applicant's name").fill("Pat Resident")
    page.get_by_label("The anti-social behaviour described").fill("Groups shouting late at night.")
    page.get_by_role("button", name="Record application").click()
    review = CaseReview.objects.get()
    expect(page.get_by_role("heading", name=review.reference)).to_be_visible()
    expect(page.get_by_text("Pat Resident")).to_have_count(0)
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("10 May 2023")
    expect(rows.nth(1)).to_contain_text("17 May 2023")
    expect(rows.nth(2)).to_contain_text("24 May 2023")
    assert axe_violations(page) == []

    for day in ("01/03/2023", "20/03/2023", "10/04/2023"):
        page.get_by_role("link", name="Add a complaint").click()
        page.get_by_label("Problem").fill("Gathering outside the shops")
        fill_date(page, "Date of the incident", day)
        fill_date(page, "Date it was reported", day)
        page.get_by_label("Reported to (optional)").select_option(label=police.name)
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("the threshold is met", exact=True)).to_be_visible()

    page.get_by_role("link", name="Decide the threshold").click()
    page.get_by_label("Yes").check()
    fill_date(page, "Date of the decision", "05/05/2023")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Threshold met: review to hold").first).to_be_visible()
    screenshot(page, "case-review")

    page.get_by_role("button", name="Show the applicant's details").click()
    expect(page.get_by_text("Pat Resident")).to_be_visible()
    assert axe_violations(page) == []
    assert AuditEvent.objects.filter(
        verb="casereview.applicant_revealed", actor=coordinator, target_id=str(review.pk)
    ).exists()
