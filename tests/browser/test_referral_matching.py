"""A teacher refers a child whose name and date of birth match a record on another panel's case:
in Chromium, the referral page shows them nothing of that record; the receiving panel's
co-ordinator is shown the possible match by reference and joins the referral to it. Every page
visited passes axe-core."""

from datetime import date

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.panels.choices import RISK_INDICATORS, MembershipRole, PanelKind, TransitionStatus
from csphub.panels.models import Case
from csphub.people.models import Person
from tests.browser.conftest import axe_violations, fill_date, screenshot
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    MembershipFactory,
    PanelFactory,
    PersonFactory,
)


def test_referrer_sees_no_unseen_match_and_the_coordinator_resolves_it(
    browser_page, live_server, browser_sign_in, make_user
):
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    childrens = AgencyFactory(name="Children's Social Care", kind="childrens_social_care")
    school = AgencyFactory(name="Bexley Academy", kind="education")
    vip = PanelFactory(slug="vip", name="Violence Intervention Panel", kind=PanelKind.VIP)
    crest = PanelFactory(slug="crest", name="CREST", kind=PanelKind.CREST, uses_risk_screen=True)
    teacher = make_user(PRACTITIONER, agency=school, full_name="Tess Teacher")
    coordinator = make_user(COORDINATOR, agency=council, full_name="Cora Coordinator")
    MembershipFactory(panel=crest, user=coordinator, role=MembershipRole.COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    known = PersonFactory(given_name="Jayden", family_name="Okoro", date_of_birth=date(2010, 5, 17))
    CaseFactory(panel=vip, owning_agency=childrens, subject=known)
    page = browser_page

    # The teacher refers Jayden to CREST, typing his name and date of birth.
    browser_sign_in(page, teacher)
    page.goto(f"{live_server.url}/cases/refer/")
    assert axe_violations(page) == []
    page.get_by_label("CREST").check()
    page.get_by_role("button", name="Continue").click()
    assert axe_violations(page) == []
    page.get_by_label("Given name").fill("Jayden")
    page.get_by_label("Family name").fill("Okoro")
    fill_date(page, "Date of birth", "17/05/2010")
    page.get_by_label("Main reason").select_option("county_lines")
    page.get_by_label("Why are you referring?").fill("Collected from school by older males.")
    page.get_by_role("group", name="Has the person").get_by_label("Yes").check()
    page.get_by_role("group", name="Risk level").get_by_label("High").check()
    for _, question in RISK_INDICATORS:
        page.get_by_label(question).select_option("1")
    page.get_by_role("button", name="Send referral").click()

    # Sent at once: no possible match, no reference, no "use this record" for the known record.
    expect(page.get_by_text("Referral C-")).to_be_visible()
    html = page.content()
    assert known.reference not in html
    assert "Use record" not in html and "Possible match" not in html
    assert axe_violations(page) == []
    screenshot(page, "referral-sent-no-match-shown")
    case = Case.objects.get(panel=crest)
    own = case.subjects.get().person
    assert own != known
    page.goto(f"{live_server.url}/people/{known.reference}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

    # The CREST co-ordinator finds the referral waiting and is shown the possible match.
    page.context.clear_cookies()
    browser_sign_in(page, coordinator)
    page.goto(f"{live_server.url}/panels/crest/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text(f"The same person as {known.reference}")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record decision").click()
    # Accepting asks the question first.
    expect(page.get_by_role("alert")).to_contain_text("Choose whether this is a person already")
    assert axe_violations(page) == []
    page.locator("label", has_text=f"The same person as {known.reference}").click()
    expect(page.get_by_label(f"The same person as {known.reference}")).to_be_checked()
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.get_by_text(f"Referral joined to {known.reference}")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "referral-matched-by-coordinator")
    case.refresh_from_db()
    assert case.transitions.get().status == TransitionStatus.ACCEPTED
    assert case.subjects.get().person == known
    assert Person.objects.get(pk=own.pk).merged_into == known
    assert AuditEvent.objects.get(verb="case.referral_match_resolved").payload["same_as"] == (
        known.reference
    )
