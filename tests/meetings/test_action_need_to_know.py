"""An action on a case names the case and what is to be done about it: only people who may open
the case may own it, and an owner who later loses sight of the case loses sight of the action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from csphub.accounts.roles import PRACTITIONER
from csphub.meetings import services
from csphub.meetings.models import Action
from csphub.meetings.reminders import send_action_reminders, send_coordinator_digests
from csphub.meetings.selectors import action_owners_for, actions_visible_to
from tests.factories import AgencyFactory, MembershipFactory, PanelFactory
from tests.meetings.conftest import MEETING_DAY


@pytest.fixture
def bystander(make_user, minuted):
    """A council practitioner: a member agency of the panel, but not on it nor on the case."""
    return make_user(PRACTITIONER, agency=minuted.council, full_name="Lee Bystander")


def _case_action_url(w):
    return reverse("meetings:action_create", args=[w.meeting.pk, w.items[0].pk])


def _move_case_away(w):
    """The case goes to another panel and agency: its action's owner may no longer open it."""
    case = w.items[0].case
    case.panel = PanelFactory(slug="elsewhere")
    case.owning_agency = AgencyFactory(name="Another agency")
    case.save()
    return case


# --- who may own an action on a case ---------------------------------------------------------


def test_case_action_owners_are_only_people_who_may_open_the_case(minuted, bystander, make_user):
    case = minuted.items[0].case
    owners = set(action_owners_for(minuted.meeting, case))
    assert {minuted.member, minuted.coordinator} <= owners
    assert bystander not in owners
    # A meeting action names no case: the panel's agencies keep the wider rule.
    assert bystander in set(action_owners_for(minuted.meeting))
    # The panels' own rule decides: once a council colleague works the case, the council may.
    case.assigned_practitioners.add(make_user(PRACTITIONER, agency=minuted.council))
    assert bystander in set(action_owners_for(minuted.meeting, case))


def test_case_action_form_does_not_offer_a_member_agency_user_who_cannot_open_the_case(
    client_for, minuted, bystander
):
    client = client_for(minuted.coordinator)
    html = client.get(_case_action_url(minuted)).content.decode()
    assert minuted.member.full_name in html
    assert "Lee Bystander" not in html
    meeting_form = reverse("meetings:meeting_action_create", args=[minuted.meeting.pk])
    assert "Lee Bystander" in client.get(meeting_form).content.decode()


def test_posting_an_owner_who_cannot_open_the_case_is_refused(client_for, minuted, bystander):
    before = Action.objects.count()
    response = client_for(minuted.coordinator).post(
        _case_action_url(minuted),
        {
            "description": "Housing check",
            "owning_agency": minuted.council.pk,
            "owner": bystander.pk,
            "due_on": "24/03/2026",
        },
    )
    assert response.status_code == 200
    assert "someone who may open the case" in response.content.decode()
    assert Action.objects.count() == before


def test_the_service_refuses_an_owner_who_cannot_open_the_case(minuted, bystander):
    item = minuted.items[0]
    kwargs = {
        "actor": minuted.coordinator,
        "meeting": minuted.meeting,
        "description": "Housing check",
        "owning_agency": minuted.council,
        "owner": bystander,
        "due_on": MEETING_DAY,
    }
    with pytest.raises(ValidationError, match=f"cannot open case {item.case.reference}"):
        services.do_create_action(item=item, **kwargs)
    assert not Action.objects.filter(owner=bystander).exists()
    # On the meeting itself they may own one.
    action = services.do_create_action(item=None, theme="Housing", **kwargs)
    assert action.owner == bystander


# --- the action page -------------------------------------------------------------------------


def test_case_action_page_for_owner_colleague_coordinator_outsider_and_anonymous(
    client_for, minuted, make_user
):
    url = reverse("meetings:action_detail", args=[minuted.action.pk])
    owner = client_for(minuted.member).get(url).content.decode()
    assert "Joint home visit" in owner
    assert "Save update" in owner
    assert "Save update" in client_for(minuted.coordinator).get(url).content.decode()
    colleague = make_user(PRACTITIONER, agency=minuted.police)
    MembershipFactory(panel=minuted.panel, user=colleague)
    for user in (colleague, minuted.outsider, minuted.other_coordinator):
        response = client_for(user).get(url)
        assert response.status_code == 404
        assert b"Joint home visit" not in response.content
    assert Client().get(url).status_code == 302


def test_an_owner_who_loses_sight_of_the_case_loses_sight_of_the_action(client_for, minuted):
    url = reverse("meetings:action_detail", args=[minuted.action.pk])
    case = _move_case_away(minuted)
    for user in (minuted.member, minuted.coordinator):
        client = client_for(user)
        response = client.get(url)
        assert response.status_code == 404
        assert b"Joint home visit" not in response.content
        assert case.reference.encode() not in response.content
        assert client.post(url, {"status": "done"}).status_code == 404
    mine = client_for(minuted.member).get(reverse("meetings:my_actions")).content.decode()
    assert case.reference not in mine
    assert url not in mine
    assert minuted.action not in actions_visible_to(minuted.member)
    with pytest.raises(PermissionDenied):
        services.do_update_action(actor=minuted.member, action=minuted.action, status="done")
    minuted.action.refresh_from_db()
    assert minuted.action.status == "open"


def test_reminder_of_an_action_on_a_case_the_owner_can_no_longer_open_names_nothing(minuted):
    late = minuted.action.due_on + timedelta(days=2)
    case = _move_case_away(minuted)
    assert send_action_reminders(today=late, base_url="http://x") == 1
    body = mail.outbox[0].body
    assert "an action on a case you can no longer open: due" in body
    assert "2 days overdue" in body
    for secret in (case.reference, "Joint home visit", str(minuted.action.pk)):
        assert secret not in body
    # The co-ordinator, who has lost sight of it too, gets a count without the reference.
    send_coordinator_digests(today=late, base_url="http://x")
    digest = next(m for m in mail.outbox if m.to == [minuted.coordinator.email]).body
    assert case.reference not in digest
    assert "Joint home visit" not in digest
    assert "Cases since moved out of your sight: 1" in digest


def test_reminder_still_names_the_case_for_an_owner_who_may_open_it(minuted):
    send_action_reminders(today=minuted.action.due_on + timedelta(days=1), base_url="http://x")
    body = mail.outbox[0].body
    assert f"case {minuted.action.case.reference}: due" in body
    assert f"/meetings/actions/{minuted.action.pk}/" in body
    assert "can no longer open" not in body


def test_a_coordinator_who_cannot_open_the_case_writes_nothing_about_it(minuted):
    """An item stays on the agenda when its case moves to another panel; the co-ordinator no
    longer sees it there, and the services refuse a decision or an action on it too."""
    from csphub.panels.models import TimelineEntry

    item = minuted.items[0]
    case = _move_case_away(minuted)
    before = TimelineEntry.objects.filter(case=case).count()
    with pytest.raises(PermissionDenied):
        services.do_record_decision(
            actor=minuted.coordinator, item=item, discussion="", decision="Close it"
        )
    with pytest.raises(PermissionDenied):
        services.do_create_action(
            actor=minuted.coordinator,
            meeting=minuted.meeting,
            item=item,
            description="Visit",
            owning_agency=minuted.police,
            owner=minuted.member,
            due_on=MEETING_DAY,
        )
    assert TimelineEntry.objects.filter(case=case).count() == before
    item.refresh_from_db()
    assert item.decision == "Accept and visit"
