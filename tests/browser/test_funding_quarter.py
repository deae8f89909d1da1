"""A quarter of funding in real Chromium: a provider records their project's spend and
outputs for quarter 3, the CSP manager reviews the grant, sees the underspend flagged, and
downloads the monitoring return, which LibreOffice opens with the figures entered; the pages
pass axe-core."""

from __future__ import annotations

import csv
import subprocess
from decimal import Decimal

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.funding import services
from tests.browser.conftest import axe_violations, screenshot
from tests.funding.conftest import YEAR, build
from tests.soffice import require_soffice

pytestmark = pytest.mark.browser


def test_a_provider_records_quarter_three_and_the_manager_sees_the_underspend(
    browser_page, chromium, live_server, browser_sign_in, make_user, tmp_path
):
    f = build(make_user)
    TOTPDevice.objects.create(user=f.manager, name="phone", confirmed=True)
    for q in (1, 2):  # both projects on budget for the first half year
        services.do_record_quarter(
            actor=f.manager, item=f.bus, year=YEAR, quarter=q, spend=Decimal("6000.00")
        )
        services.do_record_quarter(
            actor=f.manager, item=f.workshops, year=YEAR, quarter=q, spend=Decimal("4000.00")
        )
    services.do_record_quarter(
        actor=f.manager, item=f.workshops, year=YEAR, quarter=3, spend=Decimal("4000.00")
    )

    # The provider records quarter 3: the bus fell behind.
    provider_context = chromium.new_context()
    provider = provider_context.new_page()
    browser_sign_in(provider, f.provider_staff)
    provider.get_by_role("link", name="Funding").first.click()
    provider.get_by_role("link", name="Outreach bus").first.click()
    provider.get_by_label("Financial year starting in April").fill(str(YEAR))
    provider.get_by_label("Quarter").select_option("3")
    provider.get_by_role("button", name="Show quarter").click()
    assert axe_violations(provider) == []
    provider.get_by_role("link", name="Record Q3 spend and outputs").click()
    provider.get_by_label("Spent in the quarter (£)").fill("3000.00")
    provider.get_by_label("Forecast spend for Q4 (£)").fill("6000.00")
    provider.get_by_label("Bus deployments: this quarter").fill("6")
    assert axe_violations(provider) == []
    provider.get_by_role("button", name="Save the quarter").click()
    expect(provider.get_by_text("2023-24 Q3 figures saved.")).to_be_visible()
    # 6000 + 6000 + 3000 spent and 6000 forecast: £3,000 short of the year's £24,000.
    expect(provider.get_by_text("£3,000.00").first).to_be_visible()
    provider_context.close()

    # The manager reviews the grant for quarter 3 and sees the flag.
    page = browser_page
    browser_sign_in(page, f.manager)
    page.get_by_role("link", name="Funding").first.click()
    page.get_by_role("link", name="Serious Violence Duty delivery").click()
    page.get_by_label("Financial year starting in April").fill(str(YEAR))
    page.get_by_label("Quarter").select_option("3")
    page.get_by_role("button", name="Show quarter").click()
    # Allocation £40,000: spent 15,000 + 12,000, forecast 6,000 + 4,000 (the workshops' budget).
    expect(page.locator("#underspend-flag")).to_contain_text("£3,000.00 short")
    assert axe_violations(page) == []
    screenshot(page, "funding-grant-q3")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the return (xlsx)").click()
    book = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(book)
    if require_soffice():
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
                str(tmp_path),
                str(book),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        rows = list(csv.DictReader(book.with_suffix(".csv").open(encoding="utf-8")))
        bus = next(r for r in rows if r["Project name"] == "Outreach bus")
        assert Decimal(bus["Quarter spend (£)"]) == Decimal("3000")
        assert Decimal(bus["Spend to date (£)"]) == Decimal("15000")
        assert bus["Underspend at risk"] == "Yes"

    page.get_by_role("button", name="Publish the 2023-24 Q3 return").click()
    expect(page.get_by_text("The 2023-24 Q3 return is published.")).to_be_visible()
