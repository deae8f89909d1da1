"""The CSP manager builds the 2023 annual report from the real data in real Chromium, reads it
as a page and as its stand-alone document, and signs it off; axe-core finds nothing on either."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.accounts.roles import CSP_ADMIN
from csphub.reports.models import AnnualReport
from tests.browser.conftest import axe_violations, screenshot
from tests.crime.conftest import crime_data_dir  # noqa: F401  (the session warehouse fixture)


@pytest.fixture
def manager_in_browser(browser_page, browser_sign_in, make_user, settings, crime_data_dir):  # noqa: F811
    settings.DATA_DIR = crime_data_dir
    manager = make_user(CSP_ADMIN, full_name="Sam Okafor")
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)  # a second factor
    browser_sign_in(browser_page, manager)
    return browser_page, manager


def test_manager_builds_reads_and_signs_off_the_annual_report(manager_in_browser, live_server):
    page, manager = manager_in_browser
    page.get_by_role("link", name="Annual report").first.click()
    page.get_by_label("Year").fill("2023")
    page.get_by_role("button", name="Show year").click()
    page.get_by_role("button", name="Build the 2023 report").click()
    expect(page.get_by_text("The 2023 report was built")).to_be_visible()
    expect(
        page.get_by_text("There was an increase of +6.8% in serious violence offences").first
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Serious violence (MPS definition), Bexley")
    ).to_be_visible()
    screenshot(page, "annual-report")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Read as a document (HTML)").click()
    expect(
        page.get_by_role("heading", name="Partnership delivery in 2023", level=1)
    ).to_be_visible()
    # A figure's link leads to its appendix entry, which names its source files.
    page.get_by_role("link", name="+6.8%").first.click()
    expect(page.locator("#appendix-a2")).to_contain_text("Serious violence")
    assert axe_violations(page) == []

    page.go_back()
    page.go_back()
    page.get_by_role("button", name="Sign off this build").click()
    expect(page.get_by_text("Signed off by Sam Okafor")).to_be_visible()
    assert AnnualReport.objects.get().signed_off_by == manager
