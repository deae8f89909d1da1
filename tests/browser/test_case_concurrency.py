"""Two people edit the same case in two real browsers: the second save is refused, nothing lost."""

from playwright.sync_api import expect

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.panels.choices import MembershipRole
from csphub.panels.models import Case
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import AgencyFactory, CaseFactory, MembershipFactory, PanelFactory


def test_second_save_is_refused_with_a_clear_message_and_keeps_the_text(
    chromium, live_server, browser_sign_in, make_user
):
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    police = AgencyFactory(name="Met Police", kind="police")
    vip = PanelFactory(slug="vip", name="Violence Intervention Panel")
    coordinator = make_user(COORDINATOR, agency=council)
    officer = make_user(PRACTITIONER, agency=police)
    MembershipFactory(panel=vip, user=coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=vip, user=officer)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    case = CaseFactory(panel=vip, owning_agency=police, plan="Original plan.")
    edit_url = f"{live_server.url}/cases/{case.pk}/edit/"

    first_ctx, second_ctx = chromium.new_context(), chromium.new_context()
    try:
        first, second = first_ctx.new_page(), second_ctx.new_page()
        browser_sign_in(first, coordinator)
        browser_sign_in(second, officer)
        # Both open the edit page before either saves.
        first.goto(edit_url)
        second.goto(edit_url)
        first.get_by_label("Plan").fill("Co-ordinator's update after the panel.")
        first.get_by_role("button", name="Save").click()
        expect(first.get_by_text("Case saved.")).to_be_visible()
        officer_text = "Officer's plan: joint visit with youth services on Friday."
        second.get_by_label("Plan").fill(officer_text)
        second.get_by_role("button", name="Save").click()

        # Refused, told why, and the officer's words are still in the box.
        assert (
            "Someone else saved this case after you opened it"
            in second.get_by_role("alert").inner_text()
        )
        assert second.get_by_label("Plan").input_value() == officer_text
        expect(second.get_by_text("Co-ordinator's update after the panel.")).to_be_visible()
        screenshot(second, "case-edit-conflict")
        assert axe_violations(second) == []
        case.refresh_from_db()
        assert case.plan == "Co-ordinator's update after the panel."

        # Saving again, knowingly, keeps the officer's version.
        second.get_by_role("button", name="Save my version").click()
        expect(second.get_by_text("Case saved.")).to_be_visible()
        assert Case.objects.get(pk=case.pk).plan == officer_text
        assert AuditEvent.objects.filter(target_id=str(case.pk), verb__startswith="case.").exists()
    finally:
        first_ctx.close()
        second_ctx.close()
