"""In Chromium: a co-ordinator uploads a police extract with a bad row, reads the problem in
the error summary (nothing imported), fixes the file and imports it. Both pages pass axe-core,
and neither scrolls sideways at 375 px."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.accounts.roles import COORDINATOR
from csphub.panels.choices import MembershipRole
from csphub.panels.models import Offence
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import AgencyFactory, CaseFactory, MembershipFactory, PanelFactory


@pytest.mark.parametrize("width", [1280, 375])
def test_a_coordinator_imports_an_extract_after_fixing_a_bad_row(
    browser_page, live_server, browser_sign_in, make_user, tmp_path, width
):
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    vip = PanelFactory(slug="vip", name="Violence Intervention Panel")
    coordinator = make_user(COORDINATOR, agency=council, full_name="Cora Coordinator")
    MembershipFactory(panel=vip, user=coordinator, role=MembershipRole.COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    case = CaseFactory(panel=vip)
    person = case.subjects.get().person
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})

    bad = tmp_path / "extract.csv"
    bad.write_text(
        f"reference,offence_date,category\n{person.reference},31/02/2024,THEFT/SHOPLIFTING\n"
    )
    browser_sign_in(page, coordinator)
    page.goto(f"{live_server.url}/offences/import/")
    page.get_by_label("Upload the police extract").set_input_files(str(bad))
    page.get_by_role("button", name="Import offences").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "extract.csv, row 2, offence_date: '31/02/2024' is not a real date"
    )
    assert axe_violations(page) == []
    assert_no_sideways_scroll(page)
    assert not Offence.objects.exists()

    bad.write_text(
        f"reference,offence_date,category\n{person.reference},28/02/2024,THEFT/SHOPLIFTING\n"
    )
    page.get_by_label("Upload the police extract").set_input_files(str(bad))
    page.get_by_role("button", name="Import offences").click()
    expect(page.get_by_text("Imported 1 offence from extract.csv")).to_be_visible()
    assert axe_violations(page) == []
    assert_no_sideways_scroll(page)
    assert Offence.objects.get().harm_weight == 5.0
