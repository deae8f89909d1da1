"""A full quarter of the action plan in real Chromium: a lead updates two actions, the CSP
manager returns one and signs off the other, the signed-off snapshot stays as it was after a
later edit, and the xlsx return is downloaded and opened by LibreOffice headless (as CSV)
with the right rows per theme and RAG counts. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts.roles import CSP_ADMIN, PRACTITIONER
from csphub.meetings.models import Meeting
from csphub.vvrap import services
from csphub.vvrap.choices import BoardKind, UpdateStatus
from csphub.vvrap.models import Board, PlanTemplate, QuarterlyUpdate, ReturnedUpdate, Theme
from csphub.vvrap.seed import seed
from csphub.vvrap.selectors import current_quarter, quarter_label
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import AgencyFactory, PanelFactory
from tests.vvrap.test_return import libreoffice_csvs

pytestmark = pytest.mark.browser


def _seeded_template() -> PlanTemplate:
    """The seeded VRU template (put back if a transactional test emptied the tables)."""
    seed(Theme, PlanTemplate)
    return PlanTemplate.objects.get()


@pytest.fixture
def plan_world(make_user):
    council = AgencyFactory(name="Bexley Community Safety", kind="community_safety")
    outreach = AgencyFactory(name="Safer Streets Youth Outreach", kind="voluntary_sector")
    manager = make_user(CSP_ADMIN, agency=council, full_name="Alex Morgan")
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    lead = make_user(PRACTITIONER, agency=outreach, full_name="Kai Thompson")
    board = PanelFactory(name="Serious Violence Working Group", slug="sv-wg", decisions=[])
    plan = services.do_create_plan(
        actor=manager,
        title="Bexley VVRAP",
        version_label="v1",
        template=_seeded_template(),
        board=board,
        first_year=2025,
    )
    items = [
        services.do_create_plan_item(
            actor=manager,
            plan=plan,
            theme=Theme.objects.get(key=key),
            number=number,
            description=text,
            outcome="Fewer young people hurt",
            lead=lead,
            lead_agencies=[outreach],
        )
        for key, number, text in (
            ("positive-diversion", "7.1", "Detached youth work in the town centres"),
            ("supporting-victims", "6.1", "Youth workers at the emergency department"),
        )
    ]
    return manager, lead, plan, items


def _clean(page, name):
    assert axe_violations(page) == [], name
    screenshot(page, f"vvrap-{name}")


def test_a_full_quarter_from_the_leads_update_to_the_vru_return(
    chromium, live_server, browser_sign_in, plan_world, tmp_path
):
    manager, lead, plan, (youth, hospital) = plan_world
    year, number = current_quarter(timezone.localdate())
    label = quarter_label(year, number)

    # The lead writes both updates.
    lead_page = chromium.new_context().new_page()
    browser_sign_in(lead_page, lead)
    lead_page.goto(f"{live_server.url}/action-plan/")
    _clean(lead_page, "plan")
    for item, rag, text in (
        (youth, "Green", "Sessions every evening"),
        (hospital, "Amber", "Recruiting"),
    ):
        lead_page.get_by_role("link", name=f"Action {item.number}").first.click()
        _clean(lead_page, f"action-{item.number}")
        lead_page.get_by_role("link", name=f"Write the update for {label}").click()
        lead_page.get_by_label("Progress this quarter (optional)").fill(text)
        lead_page.get_by_label(rag).check()
        lead_page.get_by_label("Reason for the RAG status (optional)").fill(f"{rag} because")
        _clean(lead_page, f"update-{item.number}")
        lead_page.get_by_role("button", name="Send for sign-off").click()
        assert "Update sent for sign-off." in lead_page.content()
        lead_page.goto(f"{live_server.url}/action-plan/")
    assert QuarterlyUpdate.objects.filter(status=UpdateStatus.SUBMITTED).count() == 2

    # The manager returns the hospital update and signs off the youth work.
    page = chromium.new_context(accept_downloads=True).new_page()
    browser_sign_in(page, manager)
    page.goto(f"{live_server.url}/action-plan/")
    page.get_by_role("link", name=f"Action 6.1, {label}").click()
    _clean(page, "review")
    page.get_by_label("Return it to the lead with a comment").check()
    page.get_by_label("Comment for the lead (optional)").fill("Say how many were recruited")
    page.get_by_role("button", name="Save decision").click()
    assert "Update returned to its lead." in page.content()
    page.get_by_role("link", name=f"Action 7.1, {label}").click()
    page.get_by_label("Sign off: freeze this update in the quarter's return").check()
    page.get_by_role("button", name="Save decision").click()
    assert "Update signed off." in page.content()
    hospital_update = QuarterlyUpdate.objects.get(item=hospital)
    assert hospital_update.status == UpdateStatus.RETURNED
    assert hospital_update.review_comment == "Say how many were recruited"

    # A later edit of the signed-off action leaves the returned snapshot as it was.
    page.goto(f"{live_server.url}/action-plan/actions/{youth.pk}/edit/")
    _clean(page, "edit")
    page.get_by_label("Action", exact=True).fill("Something else entirely")
    page.get_by_role("button", name="Save action").click()
    snapshot = ReturnedUpdate.objects.get(item=youth)
    assert snapshot.values["description"] == "Detached youth work in the town centres"
    assert snapshot.values["update"] == "Sessions every evening"

    # The return page, then the workbook, as LibreOffice reads it.
    page.goto(f"{live_server.url}/action-plan/{plan.pk}/return/?quarter={year}-{number}")
    _clean(page, "return")
    assert "Detached youth work in the town centres" in page.content()
    assert "Something else entirely" not in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the return (xlsx)").click()
    xlsx = tmp_path / download.value.suggested_filename
    download.value.save_as(xlsx)
    sheets = libreoffice_csvs(xlsx, tmp_path)
    summary = {row[0]: row[1:5] for row in sheets["Summary"][3:]}
    assert summary["Positive diversion"] == ["0", "0", "1", "1"]
    assert summary["Supporting victims of violence and vulnerability"] == ["0", "0", "0", "0"]
    assert summary["All themes"] == ["0", "0", "1", "1"]
    diversion = sheets["Positive diversion"]
    assert [r[0] for r in diversion[1:]] == ["7.1"]
    assert diversion[1][1] == "Detached youth work in the town centres"
    assert diversion[1][7] == "Green"
    victims = next(s for s in sheets if s.startswith("Supporting victims"))
    assert sheets[victims][1:] == []

    # The minimum standards and the boards' pages are clean too, with a board's minutes.
    Board.objects.create(panel=plan.board, kind=BoardKind.SV_WORKING_GROUP)
    held = Meeting.objects.create(
        panel=plan.board, scheduled_for=timezone.now() - timedelta(days=7), location="Civic"
    )
    for path, name in (
        ("minimum-standards/", "standards"),
        ("boards/", "boards"),
        (f"boards/{plan.board.slug}/minutes/", "board-minutes"),
    ):
        page.goto(f"{live_server.url}/action-plan/{path}")
        _clean(page, name)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename == (
        f"minutes-{plan.board.slug}-{timezone.localtime(held.scheduled_for):%Y-%m-%d}.pdf"
    )
