"""The children's NRM flow in real Chromium: a first responder refers a child, the co-ordinator
takes it on and builds the meeting, the panel records RG and CG with votes, a second voting
member signs the minute off, the minute PDF is downloaded and read back, and the dashboard's
average days to decision moves; axe-core on every NRM page on the way."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.meetings import services as meeting_services
from csphub.nrm import services
from csphub.nrm.choices import DEFAULT_QUORUM, Seat
from csphub.nrm.models import Minute, NrmSettings, Referral
from csphub.panels.choices import MembershipRole
from tests.browser.conftest import axe_violations, fill_date, screenshot
from tests.factories import AgencyFactory, MembershipFactory, PanelFactory
from tests.nrm.conftest import at
from tests.nrm.sweep import child

pytestmark = pytest.mark.browser


@pytest.fixture
def nrm_world(make_user):
    council = AgencyFactory(name="Bexley Community Safety", kind="community_safety")
    police = AgencyFactory(name="Metropolitan Police South East BCU", kind="police")
    social = AgencyFactory(name="Bexley Children's Social Care", kind="childrens_social_care")
    health = AgencyFactory(name="South East London ICB", kind="health")
    guardians = AgencyFactory(name="Guardianship Service", kind="voluntary_sector")
    yjs = AgencyFactory(name="Bexley Youth Justice Service", kind="youth_justice")
    panel = PanelFactory(
        slug="nrm",
        name="Children's NRM Panel",
        consent_required=False,
        quorum=DEFAULT_QUORUM,
        owning_agency_sees_cases=False,
    )
    NrmSettings.objects.create(panel=panel, holding_agency=council)
    w = {
        "panel": panel,
        "coordinator": make_user(COORDINATOR, agency=council, full_name="Taylor Brooks"),
        "worker": make_user(PRACTITIONER, agency=social, full_name="Morgan Blake"),
        "officer": make_user(PRACTITIONER, agency=police, full_name="Dana Reid"),
        "nurse": make_user(PRACTITIONER, agency=health, full_name="Amaka Eze"),
        "ictg": make_user(PRACTITIONER, agency=guardians, full_name="Jamie Rowe"),
        "responder": make_user(PRACTITIONER, agency=yjs, full_name="Lee Harper"),
    }
    TOTPDevice.objects.create(user=w["coordinator"], name="phone", confirmed=True)
    MembershipFactory(panel=panel, user=w["coordinator"], role=MembershipRole.COORDINATOR)
    for key, seat in [
        ("worker", Seat.SOCIAL_CARE),
        ("officer", Seat.POLICE),
        ("nurse", Seat.HEALTH),
        ("ictg", Seat.ICTG),
    ]:
        services.do_set_seat(
            actor=w["coordinator"],
            membership=MembershipFactory(panel=panel, user=w[key]),
            seat=seat,
        )
    # One case already decided: 40 days from referral to its RG and CG at one meeting.
    today = timezone.localdate()
    earlier = services.do_refer_child(
        actor=w["responder"],
        panel=panel,
        **child("Earlier", today - timedelta(days=60)),
    )
    services.do_take_on(actor=w["coordinator"], referral=earlier)
    earlier.refresh_from_db()
    past = meeting_services.do_schedule_meeting(
        actor=w["coordinator"], panel=panel, scheduled_for=at(today - timedelta(days=20))
    )
    present = {w["worker"]: "positive", w["officer"]: "positive", w["nurse"]: "positive"}
    services.do_record_rg_and_cg(
        actor=w["coordinator"],
        referral=earlier,
        meeting=past,
        decided_on=today - timedelta(days=20),
        cg_outcome="positive",
        chair=w["officer"],
        rg_votes=present | {w["ictg"]: ""},
        cg_votes=present | {w["ictg"]: ""},
    )
    return w


@pytest.fixture
def new_page(chromium):
    """Another person's browser (a context of their own), closed after the test."""
    contexts = []

    def make():
        contexts.append(chromium.new_context(accept_downloads=True))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def _axe(page, name):
    violations = axe_violations(page)
    if violations:
        screenshot(page, f"nrm-{name}")
    assert violations == [], (name, violations)


def test_a_child_is_referred_decided_minuted_and_counted(
    browser_page, new_page, live_server, browser_sign_in, nrm_world
):
    w = nrm_world
    today = timezone.localdate()
    received = today - timedelta(days=10)

    # The first responder refers the child.
    page = browser_page
    browser_sign_in(page, w["responder"])
    page.goto(f"{live_server.url}/nrm/refer/")
    _axe(page, "refer")
    page.get_by_label("Child's first name").fill("Rhys")
    page.get_by_label("Child's last name").fill("Walker")
    fill_date(page, "Child's date of birth", "01/01/2012")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Nationality, as reported").fill("British")
    page.get_by_label("Criminal exploitation").check()
    page.get_by_label("County lines").check()
    page.get_by_label("UK only").check()
    page.get_by_label("First responder organisation type").select_option("local_authority")
    page.get_by_label("Referring officer").fill("Lee Harper")
    fill_date(page, "Date the referral was received", received.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Send the referral").click()
    referral = Referral.objects.get(child__given_name="Rhys")
    expect(page.get_by_role("cell", name=referral.reference)).to_be_visible()
    expect(page.get_by_text("Awaiting the panel's decision")).to_be_visible()
    _axe(page, "my-referrals")

    # The co-ordinator sees the figures before, takes the referral on and builds the meeting.
    coord = new_page()
    browser_sign_in(coord, w["coordinator"])
    coord.goto(f"{live_server.url}/nrm/figures/")
    expect(coord.locator('[data-measure="final-mean"]')).to_have_text("40.0")
    expect(
        coord.get_by_role("heading", name="Child exploitation training workshop", exact=False)
    ).to_be_visible()
    expect(coord.get_by_role("link", name="Record a training session")).to_be_visible()
    _axe(coord, "figures")
    coord.get_by_role("link", name="NRM decisions", exact=True).first.click()
    _axe(coord, "referral-list")
    coord.get_by_role("link", name=referral.reference).click()
    expect(coord.get_by_text("Not required: child")).to_be_visible()
    _axe(coord, "referral-detail")
    coord.get_by_role("button", name="Take the referral on").click()
    coord.get_by_role("link", name="Meetings").first.click()
    coord.get_by_role("link", name="Schedule a meeting").click()
    coord.get_by_label("Panel").select_option(label="Children's NRM Panel")
    fill_date(coord, "Date", today.strftime("%d/%m/%Y"), exact=True)
    coord.get_by_label("Start time").fill("10:00")
    coord.get_by_role("button", name="Schedule").click()

    # The panel records RG and CG together, with the votes.
    coord.goto(f"{live_server.url}/nrm/referrals/{referral.pk}/")
    coord.get_by_role("link", name="Record a decision").click()
    expect(coord.get_by_text("Reasonable Grounds test in force today")).to_be_visible()
    _axe(coord, "decision-form")
    coord.get_by_label("Reasonable and Conclusive Grounds together").check()
    fill_date(coord, "Decision date", today.strftime("%d/%m/%Y"))
    coord.get_by_label("Positive", exact=True).check()
    coord.get_by_label("Chair").select_option(label=w["officer"].full_name)
    for key in ("worker", "officer", "nurse"):
        coord.get_by_label(w[key].full_name).select_option("positive")
    coord.get_by_label(w["ictg"].full_name).select_option("present")
    coord.get_by_role("button", name="Record the decision").click()

    # The minute of the CG decision.
    expect(
        coord.get_by_role("heading", name="Minute of the Conclusive Grounds decision")
    ).to_be_visible()
    _axe(coord, "minute-form")
    coord.get_by_label("Evidence considered").fill(
        "Youth justice chronology | Bexley Youth Justice Service\nIntelligence report | Met Police"
    )
    coord.get_by_label("Credibility").fill("The account matched police intelligence.")
    coord.get_by_label("Trauma-informed considerations").fill("Late disclosure after threats.")
    coord.get_by_role("button", name="Save the minute").click()
    minute = Minute.objects.get(decision__referral=referral, decision__kind="cg")
    expect(coord.get_by_role("button", name="Issue the minute")).to_have_count(0)

    # A second voting member signs it off; the co-ordinator issues it.
    nurse = new_page()
    browser_sign_in(nurse, w["nurse"])
    nurse.goto(f"{live_server.url}/nrm/referrals/{referral.pk}/")
    nurse.get_by_role("button", name="Sign off the minute").last.click()
    expect(nurse.get_by_text("Minute signed off.")).to_be_visible()
    coord.reload()
    coord.get_by_role("button", name="Issue the minute").click()
    expect(coord.get_by_text("Minute issued.")).to_be_visible()
    minute.refresh_from_db()
    assert minute.signed_off_by == w["nurse"] and minute.issued_at is not None

    # The minute PDF, downloaded and read back.
    with coord.expect_download() as download:
        coord.locator(f'a[href="/nrm/minutes/{minute.pk}/minute.pdf"]').click()
    pdf = download.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Late disclosure after threats." in text
    assert "Youth justice chronology" in text and "Amaka Eze" in text
    assert "balance of probabilities" in text

    # The dashboard: (40 + 10) / 2 = 25.0 days to the final decision.
    coord.goto(f"{live_server.url}/nrm/figures/")
    expect(coord.locator('[data-measure="final-mean"]')).to_have_text("25.0")
    expect(coord.locator('[data-measure="final-median"]')).to_have_text("25.0")

    # The first responder sees the status, nothing more.
    page.reload()
    row = page.get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("Conclusive Grounds: Positive")
    expect(page.get_by_text("Rhys")).to_have_count(0)
