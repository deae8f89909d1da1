"""Actions on the meeting itself (themes, locations, cohorts): who may add, see and move them,
and that they reach the minutes, the overdue lists and the reminders without personal details."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.meetings import exports, services
from csphub.meetings.models import Action
from csphub.meetings.reminders import send_action_reminders
from csphub.meetings.selectors import actions_visible_to, places_for_meeting_actions
from csphub.panels.choices import CaseStatus, SubjectRole
from csphub.panels.models import CaseSubject, TimelineEntry
from tests.factories import CaseFactory, MembershipFactory, PanelFactory, PlaceFactory
from tests.meetings.conftest import MEETING_DAY

ADDRESS = "14 Acacia Avenue, Welling"


def _place_case(panel, agency, place, status=CaseStatus.ACTIVE):
    case = CaseFactory(panel=panel, status=status, owning_agency=agency, subject=False)
    CaseSubject.objects.create(case=case, place=place, role=SubjectRole.LOCATION)
    return case


@pytest.fixture
def bigger(minuted):
    """The minuted meeting, with the panel working a park and a home address as places."""
    w = minuted
    w.park = PlaceFactory(name="Danson Park", kind="park")
    w.address = PlaceFactory(name=ADDRESS, kind="address", lsoa_code="", ward_name="East Wickham")
    _place_case(w.panel, w.police, w.park)
    _place_case(w.panel, w.police, w.address)
    w.meeting_action = services.do_create_action(
        actor=w.coordinator,
        meeting=w.meeting,
        item=None,
        theme="Knife crime among under-18s",
        place=w.park,
        description="Weapons sweep and youth outreach after school hours",
        owning_agency=w.police,
        owner=w.member,
        due_on=MEETING_DAY + timedelta(days=7),
    )
    return w


# --- the service ---------------------------------------------------------------------------


def test_coordinator_adds_an_action_to_the_meeting_about_a_place_and_theme(bigger):
    action = bigger.meeting_action
    assert (action.item, action.case, action.place) == (None, None, bigger.park)
    assert action.is_meeting_level
    assert action.about == "Knife crime among under-18s, Danson Park"
    event = AuditEvent.objects.get(verb="meeting.action_created", target_id=str(action.pk))
    assert event.payload["level"] == "meeting"
    assert event.payload["place"] == str(bigger.park.pk)
    # No case, so nothing on any case's timeline.
    assert not TimelineEntry.objects.filter(source_id=str(action.pk)).exists()


def test_a_home_address_is_named_only_by_its_area(bigger):
    action = services.do_create_action(
        actor=bigger.coordinator,
        meeting=bigger.meeting,
        item=None,
        place=bigger.address,
        description="Neighbourhood patrols",
        owning_agency=bigger.police,
        owner=bigger.member,
        due_on=MEETING_DAY,
    )
    assert action.about == "An address in East Wickham"
    assert ADDRESS not in action.about


def test_a_meeting_action_may_carry_a_status_and_no_place(bigger):
    action = services.do_create_action(
        actor=bigger.coordinator,
        meeting=bigger.meeting,
        item=None,
        theme="Night-time economy",
        description="Licensing visits",
        owning_agency=bigger.police,
        owner=bigger.member,
        due_on=MEETING_DAY,
        status="in_progress",
    )
    assert (action.status, action.place, action.about) == (
        "in_progress",
        None,
        "Night-time economy",
    )


def test_only_places_of_the_panels_open_cases_may_be_chosen(bigger):
    elsewhere = PlaceFactory(name="Somewhere else")
    _place_case(PanelFactory(slug="crest"), bigger.police, elsewhere)
    closed = PlaceFactory(name="Closed park")
    _place_case(bigger.panel, bigger.police, closed, status=CaseStatus.CLOSED)
    allowed = set(places_for_meeting_actions(bigger.meeting))
    assert allowed == {bigger.park, bigger.address}
    for place in (elsewhere, closed):
        with pytest.raises(ValidationError, match="open cases"):
            services.do_create_action(
                actor=bigger.coordinator,
                meeting=bigger.meeting,
                item=None,
                place=place,
                description="Visit",
                owning_agency=bigger.police,
                owner=bigger.member,
                due_on=MEETING_DAY,
            )


def test_a_place_referred_to_the_panel_is_not_offered_until_the_referral_is_accepted(bigger):
    """A meeting action is seen by every member, who do not see a referral before it is
    accepted: its place is not offered (nor taken) for a meeting action until then."""
    from csphub.panels import services as panel_services

    yard = PlaceFactory(name="Station car park", kind="street")
    case = panel_services.do_refer(
        actor=bigger.member,
        panel=bigger.panel,
        owning_agency=bigger.council,
        place=yard,
        role=SubjectRole.LOCATION,
        reason_category="serious_violence",
        reason="Groups gathering with weapons.",
        consent_given=True,
        risk_level="high",
    )
    assert yard not in places_for_meeting_actions(bigger.meeting)
    with pytest.raises(ValidationError, match="open cases"):
        services.do_create_action(
            actor=bigger.coordinator,
            meeting=bigger.meeting,
            item=None,
            place=yard,
            description="Patrols",
            owning_agency=bigger.police,
            owner=bigger.member,
            due_on=MEETING_DAY,
        )
    panel_services.do_decide_transition(
        actor=bigger.coordinator, transition=case.transitions.get(), decision="accepted"
    )
    assert yard in places_for_meeting_actions(bigger.meeting)


def test_place_and_theme_are_refused_on_a_case_action(bigger):
    with pytest.raises(ValidationError, match="whole meeting"):
        services.do_create_action(
            actor=bigger.coordinator,
            meeting=bigger.meeting,
            item=bigger.items[0],
            theme="Cohort",
            description="Visit",
            owning_agency=bigger.police,
            owner=bigger.member,
            due_on=MEETING_DAY,
        )


def test_meeting_action_owner_must_work_for_the_agency_and_only_coordinators_add(bigger):
    kwargs = {
        "meeting": bigger.meeting,
        "item": None,
        "description": "Visit",
        "owning_agency": bigger.council,
        "owner": bigger.member,
        "due_on": MEETING_DAY,
    }
    with pytest.raises(ValidationError, match="must work for the agency"):
        services.do_create_action(actor=bigger.coordinator, **kwargs)
    for actor in (bigger.member, bigger.other_coordinator, bigger.outsider):
        with pytest.raises(PermissionDenied):
            services.do_create_action(actor=actor, **{**kwargs, "owning_agency": bigger.police})


def test_meeting_actions_are_visible_to_panel_members_and_the_owner_only(bigger, make_user):
    colleague = make_user(PRACTITIONER, agency=bigger.police)
    MembershipFactory(panel=bigger.panel, user=colleague)
    outside_owner = make_user(PRACTITIONER, agency=bigger.outsider.agency)
    owned = services.do_create_action(
        actor=bigger.coordinator,
        meeting=bigger.meeting,
        item=None,
        theme="School gates",
        description="Assemblies on knife crime",
        owning_agency=outside_owner.agency,
        owner=outside_owner,
        due_on=MEETING_DAY,
    )
    assert bigger.meeting_action in actions_visible_to(colleague)
    assert bigger.meeting_action in actions_visible_to(bigger.coordinator)
    assert bigger.meeting_action not in actions_visible_to(bigger.outsider)
    assert bigger.meeting_action not in actions_visible_to(bigger.other_coordinator)
    # The owner sees their own even though they do not sit on the panel; and nothing else.
    assert list(actions_visible_to(outside_owner)) == [owned]
    # A panel member sees meeting actions, but still not other people's case actions.
    assert bigger.action not in actions_visible_to(colleague)


# --- the pages -----------------------------------------------------------------------------


def _create_url(w):
    return reverse("meetings:meeting_action_create", args=[w.meeting.pk])


def test_coordinator_adds_a_meeting_action_through_the_form(client_for, bigger):
    client = client_for(bigger.coordinator)
    page = client.get(_create_url(bigger)).content.decode()
    assert "Danson Park" in page and "An address in East Wickham" in page
    assert ADDRESS not in page
    response = client.post(
        _create_url(bigger),
        {
            "theme": "County lines cohort",
            "place": bigger.address.pk,
            "description": "Share intelligence on the address",
            "owning_agency": bigger.police.pk,
            "owner": bigger.member.pk,
            "due_on": "24/03/2026",
            "status": "open",
        },
    )
    assert response["Location"] == reverse("meetings:meeting_detail", args=[bigger.meeting.pk])
    action = Action.objects.get(theme="County lines cohort")
    assert (action.place, action.item, action.owner) == (bigger.address, None, bigger.member)


def test_meeting_action_form_shows_errors_and_saves_nothing(client_for, bigger):
    before = Action.objects.count()
    response = client_for(bigger.coordinator).post(
        _create_url(bigger),
        {
            "description": "Patrols",
            "owning_agency": bigger.council.pk,
            "owner": bigger.member.pk,
            "due_on": "24/03/2026",
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert "must work for the agency" in response.content.decode()
    assert Action.objects.count() == before


def test_meeting_action_form_is_refused_to_all_but_the_coordinator(client_for, bigger):
    url = _create_url(bigger)
    assert client_for(bigger.member).get(url).status_code == 403
    assert client_for(bigger.outsider).get(url).status_code == 403
    assert client_for(bigger.other_coordinator).get(url).status_code == 404
    assert client_for(bigger.other_coordinator).post(url, {}).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_panel_members_see_meeting_actions_on_the_meeting_page(client_for, bigger):
    html = (
        client_for(bigger.member)
        .get(reverse("meetings:meeting_detail", args=[bigger.meeting.pk]))
        .content.decode()
    )
    assert "Locations and themes" in html
    assert "Weapons sweep and youth outreach" in html
    assert "Knife crime among under-18s, Danson Park" in html
    assert reverse("meetings:action_detail", args=[bigger.meeting_action.pk]) in html
    # The member may not add one.
    assert _create_url(bigger) not in html


def test_meeting_action_page_for_owner_colleague_outsider_and_anonymous(
    client_for, bigger, make_user
):
    url = reverse("meetings:action_detail", args=[bigger.meeting_action.pk])
    colleague = make_user(PRACTITIONER, agency=bigger.police)
    MembershipFactory(panel=bigger.panel, user=colleague)
    # A colleague on the panel reads it but may not move it on.
    page = client_for(colleague).get(url)
    assert page.status_code == 200
    assert "Weapons sweep" in page.content.decode()
    assert "Save update" not in page.content.decode()
    assert client_for(colleague).post(url, {"status": "done", "version": 1}).status_code == 403
    # The co-ordinator can.
    assert "Save update" in client_for(bigger.coordinator).get(url).content.decode()
    # Outsiders and other panels' co-ordinators are told nothing.
    for user in (bigger.outsider, bigger.other_coordinator):
        response = client_for(user).get(url)
        assert response.status_code == 404
        assert b"Weapons sweep" not in response.content
    assert Client().get(url).status_code == 302
    # The owner moves it on.
    owner = client_for(bigger.member)
    form = {"status": "done", "note": "Sweep done", "version": 1}
    assert owner.post(url, form).status_code == 302
    bigger.meeting_action.refresh_from_db()
    assert bigger.meeting_action.status == "done"


@pytest.mark.slow  # renders a PDF with WeasyPrint
def test_meeting_actions_are_in_both_minutes_exports(client_for, bigger):
    services.do_create_action(
        actor=bigger.coordinator,
        meeting=bigger.meeting,
        item=None,
        place=bigger.address,
        description="Patrols near the address",
        owning_agency=bigger.police,
        owner=bigger.member,
        due_on=MEETING_DAY,
    )
    body = (
        client_for(bigger.member)
        .get(reverse("meetings:minutes_docx", args=[bigger.meeting.pk]))
        .content
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "Actions for the meeting" in text
    assert "Knife crime among under-18s, Danson Park: Weapons sweep" in text
    assert "An address in East Wickham: Patrols near the address" in text
    assert ADDRESS not in text
    html = exports.render_to_string(
        "meetings/minutes_pdf.html", {"c": exports.minutes_for(bigger.member, bigger.meeting)}
    )
    assert "Weapons sweep and youth outreach" in html
    assert "An address in East Wickham" in html and ADDRESS not in html
    pdf = client_for(bigger.member).get(reverse("meetings:minutes_pdf", args=[bigger.meeting.pk]))
    assert pdf.content.startswith(b"%PDF-")


def test_overdue_meeting_actions_are_on_the_panel_list_and_the_owners_list(client_for, bigger):
    Action.objects.filter(pk=bigger.meeting_action.pk).update(due_on=MEETING_DAY - timedelta(400))
    link = reverse("meetings:action_detail", args=[bigger.meeting_action.pk])
    panel_list = (
        client_for(bigger.coordinator)
        .get(reverse("meetings:panel_overdue", args=[bigger.panel.pk]))
        .content.decode()
    )
    assert link in panel_list
    assert "meeting action: Knife crime among under-18s, Danson Park" in panel_list
    mine = client_for(bigger.member).get(reverse("meetings:my_actions")).content.decode()
    assert link in mine


def test_overdue_meeting_action_is_reminded_without_its_theme_or_wording(bigger):
    late = bigger.meeting_action.due_on + timedelta(days=2)
    assert send_action_reminders(today=late, base_url="https://c.example") == 1
    body = mail.outbox[0].body
    assert f"action for the meeting, place {bigger.park.reference}" in body
    assert f"https://c.example/meetings/actions/{bigger.meeting_action.pk}/" in body
    for secret in ("Knife crime", "Weapons sweep", "Danson Park"):
        assert secret not in body
    assert AuditEvent.objects.filter(
        verb="meeting.action_reminder_sent", target_id=str(bigger.meeting_action.pk)
    ).exists()
