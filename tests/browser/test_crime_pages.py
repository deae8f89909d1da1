"""An analyst reads the crime figures and the hot spot map in real Chromium; axe-core finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from csphub.accounts.roles import ANALYST
from tests.browser.conftest import axe_violations, screenshot
from tests.crime.conftest import crime_data_dir  # noqa: F401  (the session warehouse fixture)


@pytest.fixture
def analyst_in_browser(browser_page, browser_sign_in, make_user, settings, crime_data_dir):  # noqa: F811
    settings.DATA_DIR = crime_data_dir
    browser_sign_in(browser_page, make_user(ANALYST, full_name="Priya Shah"))
    return browser_page


def test_analyst_reads_the_figures_page(analyst_in_browser, live_server):
    page = analyst_in_browser
    page.get_by_role("link", name="Crime figures").first.click()
    expect(page.get_by_role("heading", name="Bexley: 2024 compared with 2023")).to_be_visible()
    # Choose 2023 without JavaScript-only controls: open the details, pick, submit.
    page.get_by_text("Change the area, period or chart").click()
    page.get_by_label("Year", exact=True).select_option("2023")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", name="Bexley: 2023 compared with 2022")).to_be_visible()
    expect(
        page.get_by_text("Bexley recorded a 1.9% increase in serious violence").first
    ).to_be_visible()
    chart = page.get_by_role("img", name="Serious violence (MPS definition), Bexley")
    expect(chart).to_be_visible()
    # Borough counts of police open data are shown as published: no "<5" for Bexley's homicides.
    expect(page.locator("#homicide ~ .csphub-table-scroll table").first).to_be_visible()
    expect(
        page.locator("#homicide ~ .csphub-table-scroll table").first.get_by_text("<5")
    ).to_have_count(0)
    screenshot(page, "crime-figures")
    assert axe_violations(page) == []
    page.get_by_role("link", name="About these figures").first.click()
    expect(page.get_by_role("heading", name="About these figures")).to_be_visible()
    assert axe_violations(page) == []


def test_analyst_reads_the_hot_spot_map(analyst_in_browser, live_server):
    page = analyst_in_browser
    page.goto(f"{live_server.url}/crime/hotspots/?measure=serious_violence&year=2024")
    expect(page.get_by_role("heading", name="Hot spots in Bexley")).to_be_visible()
    expect(page.get_by_role("img", name="Map of Bexley's LSOAs")).to_be_visible()
    assert page.locator("svg[role=img] path").count() == 148
    # Labelled with the 17 ward names from the boundaries, so a reader can place the areas.
    expect(page.locator("svg[role=img] text.csphub-map-label")).to_have_count(17)
    expect(
        page.locator("svg[role=img] text.csphub-map-label", has_text="Belvedere")
    ).to_be_visible()
    assert page.get_by_role("table").locator("tbody tr").count() == 20
    screenshot(page, "crime-hotspots")
    assert axe_violations(page) == []


def test_analyst_sees_the_import_page(analyst_in_browser, live_server):
    page = analyst_in_browser
    page.goto(f"{live_server.url}/crime/import/")
    page.get_by_role("button", name="Import file").click()
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    screenshot(page, "crime-import-error")
    assert axe_violations(page) == []


def test_analyst_compares_a_rolling_year_and_sees_the_break_it_crosses(
    analyst_in_browser, live_server
):
    page = analyst_in_browser
    page.goto(f"{live_server.url}/crime/")
    page.get_by_text("Change the area, period or chart").click()
    page.get_by_label("Rolling 12 months to the latest month").check()
    page.get_by_role("button", name="Show figures").click()
    expect(
        page.get_by_role(
            "heading",
            name="Bexley: year ending October 2025 compared with year ending October 2024",
        )
    ).to_be_visible()
    expect(page.get_by_text("Data run to October 2025.")).to_be_visible()
    # November 2023 to October 2025 crosses the MPS move to CONNECT in February 2024.
    expect(page.locator("#caveats")).to_contain_text("MPS move to the CONNECT recording system")
    chart = page.get_by_role("img", name="Serious violence (MPS definition), Bexley")
    expect(chart.locator("line.csphub-chart-mark")).to_have_count(1)
    expect(
        chart.get_by_text("MPS move to the CONNECT recording system, Feb 2024", exact=True)
    ).to_be_visible()
    screenshot(page, "crime-figures-rolling-year")
    assert axe_violations(page) == []
