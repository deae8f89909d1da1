"""A CSP administrator sets up a panel and seats its co-ordinator in Chromium; a flag is
cleared with a reason; the pages pass axe-core."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.accounts.roles import COORDINATOR, CSP_ADMIN
from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.models import Panel, PanelMembership
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import AgencyFactory, CaseFactory


def test_administrator_sets_up_a_panel_and_its_coordinator_clears_a_flag(
    browser_page, live_server, browser_sign_in, make_user
):
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    police = AgencyFactory(name="Met Police", kind="police")
    admin = make_user(CSP_ADMIN, agency=council, full_name="Ada Admin")
    coordinator = make_user(COORDINATOR, agency=council, full_name="Cora Coordinator")
    for user in (admin, coordinator):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page = browser_page

    browser_sign_in(page, admin)
    page.goto(f"{live_server.url}/panels/")
    page.get_by_role("link", name="Set up a panel").click()
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Missing Children Panel")
    page.get_by_label("Purpose").fill("Children who go missing from home or care.")
    page.get_by_label("Kind of panel").select_option("other")
    page.get_by_label("Chair").select_option(label="Cora Coordinator (Community Safety)")
    page.get_by_label("Met Police").check()
    page.get_by_label("Meeting cadence").fill("Monthly, first Thursday")
    page.get_by_label("Referral criteria").fill("Three missing episodes in 90 days.")
    page.get_by_label("Review cases every (days)").fill("28")
    page.get_by_role("button", name="Set up panel").click()

    expect(page.get_by_text("Missing Children Panel set up.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Person").select_option(label="Cora Coordinator (Community Safety)")
    page.get_by_label("Co-ordinator").check()
    page.get_by_role("button", name="Save membership").click()
    expect(page.get_by_role("cell", name="Co-ordinator")).to_be_visible()
    screenshot(page, "panel-members")
    panel = Panel.objects.get(name="Missing Children Panel")
    assert list(panel.member_agencies.all()) == [police]
    assert PanelMembership.objects.get(panel=panel).user == coordinator
    assert AuditEvent.objects.filter(verb="panel.member_added").exists()

    case = CaseFactory(panel=panel, owning_agency=police)
    services.do_raise_flag(
        actor=coordinator, case=case, kind="missing", reason="Missing since Friday."
    )
    page.context.clear_cookies()
    browser_sign_in(page, coordinator)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Clear the flag Currently missing").click()
    assert axe_violations(page) == []
    page.get_by_label("Why does this flag no longer apply?").fill("Found safe and well on Sunday.")
    page.get_by_role("button", name="Clear flag").click()
    expect(page.get_by_text("Flag cleared: Currently missing")).to_be_visible()
    expect(page.get_by_text("Found safe and well on Sunday.")).to_be_visible()
    assert axe_violations(page) == []
