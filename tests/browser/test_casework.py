"""A Monday morning in Chromium, at 1280 px and at 375 px: a teacher refers a child to CREST
(the panel asked first); the CREST co-ordinator is e-mailed, finds the referral at the top of
their queue, accepts it, searches for the child by name from the search box on every page,
finds the case, attaches a chronology (scanned by the real clamd), downloads it (the download
is audited), and reads the case timeline in plain English. Every page visited passes axe-core
and none scrolls sideways."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.documents.models import Document
from csphub.panels.choices import RISK_INDICATORS, MembershipRole, PanelKind, TransitionStatus
from csphub.panels.models import Case
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations, fill_date, screenshot
from tests.browser.test_documents import CHRONOLOGY, _attach
from tests.factories import AgencyFactory, MembershipFactory, PanelFactory


@pytest.mark.parametrize("width", [1280, 375])
def test_a_referral_reaches_the_coordinators_queue_and_is_found_by_name(
    browser_page, live_server, browser_sign_in, make_user, scanner, width
):
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    school = AgencyFactory(name="Bexley Academy", kind="education")
    PanelFactory(slug="vip", name="Violence Intervention Panel", kind=PanelKind.VIP)
    crest = PanelFactory(slug="crest", name="CREST", kind=PanelKind.CREST, uses_risk_screen=True)
    teacher = make_user(PRACTITIONER, agency=school, full_name="Tess Teacher")
    coordinator = make_user(
        COORDINATOR, agency=council, full_name="Cora Coordinator", email="cora@example.test"
    )
    MembershipFactory(panel=crest, user=coordinator, role=MembershipRole.COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})

    # The teacher is asked the panel first, with none chosen, then the CREST form.
    browser_sign_in(page, teacher)
    page.goto(f"{live_server.url}/cases/refer/")
    expect(page.get_by_role("heading", name="Which panel are you referring to?")).to_be_visible()
    assert not page.get_by_label("CREST").is_checked()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the panel you are referring to")
    page.get_by_label("CREST").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Refer a person to CREST")).to_be_visible()
    assert axe_violations(page) == []
    # Sent empty, the errors name each field.
    page.get_by_role("button", name="Send referral").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the person's given name")
    expect(summary).not_to_contain_text("This field is required.")
    assert axe_violations(page) == []
    page.get_by_label("Given name").fill("Kayla")
    page.get_by_label("Family name").fill("Mensah")
    fill_date(page, "Date of birth", "03/09/2011")
    page.get_by_label("Main reason").select_option("county_lines")
    page.get_by_label("Why are you referring?").fill("Seen with older males after school.")
    page.get_by_role("group", name="Has the person").get_by_label("Yes").check()
    page.get_by_role("group", name="Risk level").get_by_label("High").check()
    for _, question in RISK_INDICATORS:
        page.get_by_label(question).select_option("1")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text("Referral C-")).to_be_visible()
    case = Case.objects.get(panel=crest)
    referral = case.transitions.get()

    # The co-ordinator was e-mailed, by reference and with a link, never the child's name.
    [email] = mail.outbox
    assert email.to == ["cora@example.test"]
    assert case.reference in email.subject
    assert f"/cases/transitions/{referral.pk}/" in email.body
    assert "Kayla" not in email.body + email.subject and "Mensah" not in email.body

    # Their home page lists it at the top of the queue, with its age in working days.
    page.context.clear_cookies()
    browser_sign_in(page, coordinator)
    page.goto(f"{live_server.url}/")
    first_row = page.locator("#decision-queue tbody tr").first
    expect(first_row).to_contain_text(case.reference)
    expect(first_row).to_contain_text("Referral to CREST")
    assert axe_violations(page) == []
    assert_no_sideways_scroll(page)
    screenshot(page, f"casework-queue-{width}")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("#notifications")).to_contain_text(f"New referral {case.reference}")
    assert axe_violations(page) == []

    # They decide from the queue.
    page.goto(f"{live_server.url}/")
    first_row.get_by_role("link").click()
    assert axe_violations(page) == []
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == TransitionStatus.ACCEPTED

    # They search for the child by name from the box on every page, and find the case.
    box = page.locator("#site-search-q")
    box.fill("kayla mensah")
    box.press("Enter")
    expect(page.locator("#search-cases")).to_contain_text(case.reference)
    assert axe_violations(page) == []
    assert_no_sideways_scroll(page)
    screenshot(page, f"casework-search-{width}")
    event = AuditEvent.objects.filter(verb="search.performed").latest("seq")
    assert event.payload["results"] == 2 and "kayla" not in str(event.payload).lower()
    page.locator("#search-cases").get_by_role("link").first.click()

    # The case page names the child (she may open the case) and reads in plain English.
    expect(page.get_by_role("heading", name=f"Case {case.reference}")).to_be_visible()
    expect(page.get_by_role("link", name="Kayla Mensah")).to_be_visible()
    timeline = page.locator(".csphub-timeline")
    expect(timeline).to_contain_text("Referral accepted by the CREST co-ordinator")
    expect(timeline).to_contain_text("Referral made to the CREST")
    assert not re.search(r"\b[a-z]+\.[a-z_]+\b", timeline.inner_text().replace("e.g.", ""))
    assert axe_violations(page) == []
    screenshot(page, f"casework-case-{width}")
    case_page = page.url

    # They attach the chronology: scanned, stored, downloaded, and the download audited.
    page.get_by_role("link", name="Documents", exact=True).click()
    _attach(page, "chronology.txt", CHRONOLOGY)
    expect(page.get_by_text("it was scanned and no threat was found")).to_be_visible()
    assert axe_violations(page) == []
    assert_no_sideways_scroll(page)
    document = Document.objects.get(case=case)
    with page.expect_download() as caught:
        page.get_by_role("link", name="chronology.txt", exact=True).click()
    assert Path(caught.value.path()).read_bytes() == CHRONOLOGY
    download = AuditEvent.objects.get(verb="document.downloaded")
    assert download.actor_id == coordinator.pk and download.target_id == str(document.pk)

    # The timeline now says so in plain English too.
    page.goto(case_page)
    expect(page.locator(".csphub-timeline")).to_contain_text("Chronology attached")
    assert_no_sideways_scroll(page)
