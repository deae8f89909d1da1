"""A full panel meeting cycle in real Chromium: schedule, agenda, decision, action, overdue
reminder, and minutes exported as Word and PDF with the protective marking."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document
from playwright.sync_api import expect

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.meetings.models import Action, AgendaItem, Meeting
from csphub.panels.choices import CaseStatus, MembershipRole, SubjectRole
from csphub.panels.models import CaseSubject, TimelineEntry
from tests.browser.conftest import axe_violations, fill_date, screenshot
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    MembershipFactory,
    PanelFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def panel_world(make_user):
    police = AgencyFactory(name="Metropolitan Police South East BCU", kind="police")
    council = AgencyFactory(name="Bexley Community Safety", kind="community_safety")
    panel = PanelFactory(name="Violence Intervention Panel", slug="vip")
    panel.member_agencies.add(police, council)
    coordinator = make_user(COORDINATOR, agency=council, full_name="Sam Okafor")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    officer = make_user(PRACTITIONER, agency=police, full_name="Dana Reid")
    MembershipFactory(panel=panel, user=coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=panel, user=officer)
    today = timezone.localdate()
    referral = CaseFactory(panel=panel, status=CaseStatus.REFERRED, owning_agency=police)
    review = CaseFactory(
        panel=panel, status=CaseStatus.ACTIVE, owning_agency=police, review_due=today
    )
    # Contextual safeguarding: an open case about a park, on every agenda.
    park = PlaceFactory(name="Danson Park", kind="park")
    park_case = CaseFactory(
        panel=panel, status=CaseStatus.ACTIVE, owning_agency=police, subject=False
    )
    CaseSubject.objects.create(case=park_case, place=park, role=SubjectRole.LOCATION)
    return police, panel, coordinator, officer, referral, review, park_case


def test_a_coordinator_runs_a_whole_meeting_cycle(
    browser_page, chromium, live_server, browser_sign_in, panel_world, tmp_path
):
    police, panel, coordinator, officer, referral, review, park_case = panel_world
    page = browser_page
    meeting_day = timezone.localdate() + timedelta(days=7)

    # Sign in with the second factor and schedule the meeting.
    browser_sign_in(page, coordinator)
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Panel").select_option(label=panel.name)
    fill_date(page, "Date", meeting_day.strftime("%d/%m/%Y"), exact=True)
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Where (optional)").fill("Civic Offices")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("heading", name=f"Meeting of {meeting_day:%-d %B %Y}")).to_be_visible()
    meeting = Meeting.objects.get(panel=panel)

    # The agenda: the new referral, the case due for review, and the park under locations.
    page.get_by_role("button", name="Generate the agenda").click()
    expect(
        page.get_by_text("3 cases added to the agenda, 1 of them under locations and themes.")
    ).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name=f"3. Case {park_case.reference}: Danson Park Open location"
        )
    ).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name=f"1. Case {referral.reference}: {_named(referral)} New referral"
        )
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"2. Case {review.reference}: {_named(review)} Review due")
    ).to_be_visible()

    # Attendance, a decision and an action for the referral.
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_role("group", name=police.name, exact=True).get_by_label("Present").check()
    # By name too: the officer came, the co-ordinator is left as recorded (absent).
    page.get_by_role("group", name=f"{officer.full_name} ({police.name})").get_by_label(
        "Present"
    ).check()
    page.get_by_label(f"Who represented {police.name} (optional)").fill("PC Reid")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=f"Record decision for case {referral.reference}").click()
    page.get_by_label("Discussion (optional)").fill("Risk discussed by all partners.")
    page.get_by_label("Decision", exact=True).fill("Accepted: joint home visit within two weeks.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=f"Add an action for case {referral.reference}").click()
    page.get_by_label("Action", exact=True).fill("Arrange the joint home visit.")
    page.get_by_label("Agency", exact=True).select_option(label=police.name)
    page.get_by_label("Owner").select_option(label=f"{officer.full_name} ({police.name})")
    fill_date(page, "Due by", (meeting_day + timedelta(days=14)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Arrange the joint home visit.")).to_be_visible()
    expect(page.get_by_text("PC Reid")).to_be_visible()
    expect(page.get_by_text("This panel has no quorum set.")).to_be_visible()

    # The agenda circulated to the panel, with its calendar invitation.
    page.get_by_role("button", name="Circulate the agenda").click()
    expect(page.get_by_text("Agenda sent to 2 members of the panel.")).to_be_visible()
    assert axe_violations(page) == []
    circulated = [m for m in mail.outbox if m.subject.startswith("Agenda for")]
    assert {m.to[0] for m in circulated} == {coordinator.email, officer.email}
    assert all(m.attachments[0][0].endswith(".ics") for m in circulated)
    # The e-mails below are counted without these.
    mail.outbox[:] = [m for m in mail.outbox if m not in circulated]

    # An action for the meeting as a whole: a theme and the park.
    page.get_by_role("link", name="Add an action for the meeting").click()
    page.get_by_label("Theme or cohort (optional)").fill("Knife crime among under-18s")
    page.get_by_label("Location (optional)").select_option(
        label=f"Danson Park ({park_case.subjects.get().place.reference})"
    )
    page.get_by_label("Action", exact=True).fill("Weapons sweep of the park.")
    page.get_by_label("Agency", exact=True).select_option(label=police.name)
    page.get_by_label("Owner").select_option(label=f"{officer.full_name} ({police.name})")
    fill_date(page, "Due by", (meeting_day + timedelta(days=7)).strftime("%d/%m/%Y"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action added to the meeting.")).to_be_visible()
    expect(page.get_by_text("Knife crime among under-18s, Danson Park")).to_be_visible()
    screenshot(page, "meeting-minuted")
    assert axe_violations(page) == []

    item = AgendaItem.objects.get(meeting=meeting, case=referral)
    assert item.decision == "Accepted: joint home visit within two weeks."
    assert TimelineEntry.objects.filter(case=referral, kind="meeting.decision_recorded").exists()
    action = Action.objects.get(meeting=meeting, item__isnull=False)
    assert (action.owner, action.owning_agency) == (officer, police)
    meeting_action = Action.objects.get(meeting=meeting, item__isnull=True)
    assert meeting_action.place == park_case.subjects.get().place

    # Time passes: the action is overdue, and the reminder job e-mails its owner once.
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    action.refresh_from_db()
    call_command("send_action_reminders", "--base-url", live_server.url)
    call_command("send_action_reminders", "--base-url", live_server.url)
    # The officer was also told of each action as it was set (notifications, ADR 0016).
    assigned = [m for m in mail.outbox if "assigned to you" in m.subject]
    assert len(assigned) == 2 and {tuple(m.to) for m in assigned} == {(officer.email,)}
    reminders = [m for m in mail.outbox if m.to == [officer.email] and m not in assigned]
    assert len(reminders) == 1
    reminder = reminders[0]
    # The co-ordinator's daily digest: counts by agency and case references, once.
    digests = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(digests) == 1 and len(mail.outbox) == 4
    assert f"{police.name}: 1" in digests[0].body
    assert referral.reference in digests[0].body
    link = f"{live_server.url}/meetings/actions/{action.pk}/"
    assert reminder.to == [officer.email] and link in reminder.body
    assert "Arrange the joint home visit" not in reminder.body

    # The owner follows the link, sees the action overdue, and sees it on "Your actions".
    owner_context = chromium.new_context()
    owner_page = owner_context.new_page()
    browser_sign_in(owner_page, officer)
    owner_page.goto(link)
    expect(owner_page.get_by_role("heading", name="Action Overdue")).to_be_visible()
    owner_page.get_by_role("link", name="Your actions").first.click()
    expect(owner_page.get_by_role("link", name=f"{action.due_on:%-d %b %Y}")).to_be_visible()
    assert axe_violations(owner_page) == []
    owner_context.close()

    # The chair exports the minutes in both formats.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download minutes (Word)").click()
    docx_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(docx_path)
    assert docx_path.name == f"minutes-vip-{meeting_day:%Y-%m-%d}.docx"
    document = Document(io.BytesIO(docx_path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert [p.text for p in document.sections[0].header.paragraphs] == ["OFFICIAL-SENSITIVE"]
    assert [p.text for p in document.sections[0].footer.paragraphs] == ["OFFICIAL-SENSITIVE"]
    assert "Accepted: joint home visit within two weeks." in text
    assert f"Case {referral.reference}" in text
    assert "Knife crime among under-18s, Danson Park: Weapons sweep of the park." in text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download minutes (PDF)").click()
    pdf_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000

    exported = AuditEvent.objects.filter(verb="meeting.minutes_exported", actor=coordinator)
    assert sorted(e.payload["format"] for e in exported) == ["docx", "pdf"]


def _named(case):
    """The names the agenda shows a member of the panel (ADR 0015) for CASE's people."""
    people = [
        s.person for s in case.subjects.filter(person__isnull=False).order_by("person__reference")
    ]
    return ", ".join(f"{p.given_name} {p.family_name}" for p in people)
