"""A person signs in with a real browser, reaches the dashboard, and the pages pass axe-core."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.accounts.roles import ANALYST, COORDINATOR, CSP_ADMIN
from tests.browser.conftest import axe_violations, screenshot


def test_sign_in_page_has_no_accessibility_violations(browser_page, live_server):
    browser_page.goto(f"{live_server.url}/accounts/sign-in/")
    expect(browser_page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert browser_page.locator(".govuk-generic-header").inner_text().strip() == (
        "Community Safety Partnership hub"
    )
    # GOV.UK Frontend's JavaScript ran (so the CSP nonce and module scripts work).
    assert "govuk-frontend-supported" in browser_page.locator("body").get_attribute("class")
    screenshot(browser_page, "sign-in")
    assert axe_violations(browser_page) == []


def test_analyst_signs_in_and_reaches_an_accessible_dashboard(
    browser_page, live_server, browser_sign_in, make_user
):
    analyst = make_user(ANALYST, full_name="Priya Shah")
    browser_sign_in(browser_page, analyst)
    assert browser_page.url == f"{live_server.url}/"
    expect(browser_page.get_by_role("heading", name="Welcome, Priya")).to_be_visible()
    assert screenshot(browser_page, "dashboard-analyst").stat().st_size > 10_000
    assert axe_violations(browser_page) == []


def test_wrong_password_shows_an_accessible_error_summary(browser_page, live_server, make_user):
    analyst = make_user(ANALYST)
    browser_page.goto(f"{live_server.url}/accounts/sign-in/")
    browser_page.get_by_label("Email address").fill(analyst.email)
    browser_page.get_by_label("Password").fill("not-the-password")
    browser_page.get_by_role("button", name="Sign in").click()
    assert browser_page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert browser_page.title().startswith("Error:")
    assert axe_violations(browser_page) == []


def test_administrator_passes_two_factor_in_the_browser(
    browser_page, live_server, browser_sign_in, make_user
):
    admin = make_user(CSP_ADMIN, full_name="Alex Morgan")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    browser_sign_in(browser_page, admin)
    expect(browser_page.get_by_role("heading", name="Welcome, Alex")).to_be_visible()
    browser_page.get_by_role("link", name="Users").first.click()
    expect(browser_page.get_by_role("heading", name="Users")).to_be_visible()
    assert axe_violations(browser_page) == []


def test_coordinator_enrols_an_authenticator_in_the_browser(browser_page, live_server, make_user):
    import base64

    from django_otp.oath import totp

    from tests.factories import PASSWORD

    coordinator = make_user(COORDINATOR, full_name="Jordan Ellis")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    screenshot(page, "two-factor-setup")
    assert axe_violations(page) == []
    # Type the displayed key into "an authenticator app" (here, the TOTP algorithm itself).
    key = base64.b32decode(page.locator("code").inner_text().strip())
    page.get_by_label("Security code").fill(f"{totp(key, step=30, t0=0, digits=6):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Welcome, Jordan")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Your account").get_by_text("Jordan Ellis")
    ).to_be_visible()
