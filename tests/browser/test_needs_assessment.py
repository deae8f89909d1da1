"""The needs assessment and partner data in real Chromium: an analyst imports an ISTV file,
builds the assessment and opens both outputs; every page passes axe-core and fits a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from csphub.accounts.roles import ANALYST
from csphub.sna.models import Assessment
from tests.browser.conftest import axe_violations
from tests.partnerdata.conftest import ISTV_HEADER, ISTV_ROWS, csv_bytes

pytestmark = pytest.mark.browser


def test_an_analyst_imports_istv_data_and_builds_the_assessment(
    browser_page, live_server, browser_sign_in, make_user, tmp_path, settings
):
    settings.DATA_DIR = tmp_path  # no crime data: the profile says so
    analyst = make_user(ANALYST, full_name="Ade Analyst")
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    browser_sign_in(page, analyst)

    page.goto(f"{live_server.url}/partner-data/")
    istv = tmp_path / "qeh-istv.csv"
    istv.write_bytes(csv_bytes(ISTV_HEADER, ISTV_ROWS))
    page.get_by_label("Upload a file").set_input_files(str(istv))
    page.get_by_label("Layout").select_option("istv")
    page.get_by_label("Supplier").fill("Queen Elizabeth Hospital A&E")
    page.get_by_label("Sharing agreement reference").fill("ISTV-ISA-2022")
    page.get_by_label("Area the records are for (ISTV files)").fill("E09000004")
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_text("Imported qeh-istv.csv.")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"{live_server.url}/sna/?window=2022-10:2023-09")
    page.get_by_label("Resident population").fill("250000")
    page.get_by_role("button", name=re.compile("^Build for")).click()
    expect(page.get_by_text("Built the needs assessment")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assessment = Assessment.objects.get()

    for kind in ("full", "summary"):
        page.goto(f"{live_server.url}/sna/{assessment.pk}/{kind}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Strategic Needs Assessment")
        assert axe_violations(page) == []
