"""An action belongs to a meeting or to a case; one on a case keeps the case's access rule."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.meetings import services
from csphub.meetings.models import Action
from csphub.meetings.reminders import send_coordinator_digests
from csphub.meetings.selectors import actions_of_panels, actions_owned_by, actions_visible_to
from csphub.panels.models import TimelineEntry
from tests.meetings.conftest import MEETING_DAY


def _case_action(world, **overrides):
    fields = {
        "actor": world.coordinator,
        "case": world.due,
        "description": "Home visit before the next panel",
        "owning_agency": world.police,
        "owner": world.member,
        "due_on": MEETING_DAY + timedelta(days=7),
    }
    fields.update(overrides)
    return services.do_create_case_action(**fields)


def test_coordinator_sets_an_action_on_a_case_outside_any_meeting(world):
    action = _case_action(world)
    assert (action.meeting, action.item, action.case) == (None, None, world.due)
    assert action.panel == world.panel
    assert TimelineEntry.objects.filter(case=world.due, kind="case.action_created").count() == 1
    assert AuditEvent.objects.filter(verb="case.action_created").count() == 1


def test_case_action_is_seen_by_its_owner_and_coordinator_only(world, make_user, client_for):
    action = _case_action(world)
    # A colleague of the owner's agency may open the case, but owns no action on it.
    colleague = make_user(PRACTITIONER, agency=world.police)
    assert action in actions_owned_by(world.member)
    assert action in actions_visible_to(world.coordinator)
    assert action not in actions_visible_to(colleague)
    assert action not in actions_visible_to(world.outsider)
    assert action not in actions_visible_to(world.other_coordinator)
    page = reverse("meetings:action_detail", args=[action.pk])
    shown = client_for(world.member).get(page)
    assert shown.status_code == 200
    assert "Outside a meeting, on the case" in shown.content.decode()
    assert client_for(world.outsider).get(page).status_code == 404
    assert client_for(colleague).get(page).status_code == 404
    anonymous = client_for(world.member)
    anonymous.logout()
    assert anonymous.get(page).status_code == 302


def test_owner_of_a_case_action_must_be_able_to_open_the_case(world):
    with pytest.raises(ValidationError, match="cannot open case"):
        _case_action(world, owner=world.outsider, owning_agency=world.outsider.agency)
    assert not Action.objects.exists()


@pytest.mark.parametrize("who", ["member", "outsider", "other_coordinator"])
def test_only_the_cases_panel_coordinator_sets_a_case_action(world, who):
    with pytest.raises(PermissionDenied):
        _case_action(world, actor=getattr(world, who))
    assert not Action.objects.exists()


def test_a_closed_case_takes_no_new_action(world):
    with pytest.raises(ValidationError):
        _case_action(world, case=world.closed)


def test_owner_moves_a_case_action_on_and_it_counts_for_the_panel(world):
    action = _case_action(world, due_on=MEETING_DAY - timedelta(days=3))
    assert action in Action.objects.filter(actions_of_panels([world.panel]))
    sent = send_coordinator_digests(today=MEETING_DAY, base_url="https://csphub.test")
    assert sent == 1
    services.do_update_action(actor=world.member, action=action, status="done")
    action.refresh_from_db()
    assert action.status == "done"
    with pytest.raises(PermissionDenied):
        services.do_update_action(actor=world.outsider, action=action, status="open")


# The database keeps an action on exactly one record (SQLite and PostgreSQL alike).


def _raw(world, **fields):
    values = {
        "description": "d",
        "owning_agency": world.police,
        "owner": world.member,
        "due_on": MEETING_DAY,
    }
    values.update(fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(**values)


def test_an_action_belonging_to_nothing_is_refused(world):
    _raw(world)


def test_an_agenda_item_action_must_name_its_case(minuted):
    _raw(minuted, meeting=minuted.meeting, item=minuted.items[0])


def test_an_agenda_item_action_must_name_its_meeting(minuted):
    _raw(minuted, item=minuted.items[0], case=minuted.items[0].case)


def test_a_case_action_carries_no_place_or_theme(world):
    _raw(world, case=world.due, theme="Knife crime")


# The page.


def test_coordinator_adds_a_case_action_from_the_case_page(world, client_for):
    case_page = reverse("panels:case_detail", args=[world.due.pk])
    form = reverse("meetings:case_action_create", args=[world.due.pk])
    assert form in client_for(world.coordinator).get(case_page).content.decode()
    response = client_for(world.coordinator).post(
        form,
        {
            "description": "Home visit before the next panel",
            "owning_agency": world.police.pk,
            "owner": world.member.pk,
            "due_on": "24/03/2026",
        },
    )
    assert response.status_code == 302, response.content.decode()
    action = Action.objects.get()
    assert (action.case, action.meeting, action.owner) == (world.due, None, world.member)


@pytest.mark.parametrize("who", ["member", "outsider", "other_coordinator"])
def test_nobody_but_the_coordinator_opens_the_case_action_page(world, client_for, who):
    form = reverse("meetings:case_action_create", args=[world.due.pk])
    assert client_for(getattr(world, who)).get(form).status_code in (403, 404)
