"""Agenda, decisions, actions: what goes where, and who may do it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from csphub.audit.models import AuditEvent
from csphub.meetings import services
from csphub.meetings.choices import ActionStatus, AgendaReason
from csphub.meetings.selectors import actions_visible_to, meetings_visible_to, overdue
from csphub.panels.models import TimelineEntry
from tests.meetings.conftest import MEETING_DAY, at


def test_agenda_holds_new_referrals_and_cases_due_for_review(world):
    items = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    assert [(i.case, i.reason) for i in items] == [
        (world.new_referral, AgendaReason.NEW_REFERRAL),
        (world.due, AgendaReason.REVIEW_DUE),
    ]


def test_generating_the_agenda_again_adds_only_new_cases(world):
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    assert services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting) == []
    world.not_due.review_due = MEETING_DAY
    world.not_due.save()
    again = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    assert [i.case for i in again] == [world.not_due]
    assert [i.position for i in world.meeting.items.all()] == [1, 2, 3]


def test_a_referral_already_decided_at_an_earlier_meeting_is_not_new_again(world):
    first = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    services.do_record_decision(
        actor=world.coordinator, item=first[0], discussion="", decision="Accepted"
    )
    later = services.do_schedule_meeting(
        actor=world.coordinator,
        panel=world.panel,
        scheduled_for=at(MEETING_DAY - timedelta(days=9)),
    )
    cases = [i.case for i in services.do_generate_agenda(actor=world.coordinator, meeting=later)]
    assert world.new_referral not in cases


def test_only_the_panels_coordinator_runs_its_meetings(world):
    for user in (world.member, world.outsider, world.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.do_generate_agenda(actor=user, meeting=world.meeting)
        with pytest.raises(PermissionDenied):
            services.do_schedule_meeting(
                actor=user, panel=world.panel, scheduled_for=at(MEETING_DAY)
            )
    assert not world.meeting.items.exists()


def test_a_decision_goes_on_the_case_timeline_and_the_audit_trail(world):
    item = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)[0]
    services.do_record_decision(
        actor=world.coordinator, item=item, discussion="Talked", decision="Joint visit agreed"
    )
    entry = TimelineEntry.objects.get(case=world.new_referral, kind="meeting.decision_recorded")
    assert entry.detail == "Joint visit agreed"
    assert (entry.source_type, entry.source_id) == ("meetings.agendaitem", str(item.pk))
    assert f"{MEETING_DAY:%d %B %Y}" in entry.summary
    event = AuditEvent.objects.get(verb="meeting.decision_recorded")
    assert event.target_id == str(world.new_referral.pk)
    assert "Joint visit" not in str(event.payload)


def test_an_action_owner_must_work_for_the_owning_agency(world):
    item = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)[0]
    with pytest.raises(ValidationError):
        services.do_create_action(
            actor=world.coordinator,
            meeting=world.meeting,
            item=item,
            description="Visit",
            owning_agency=world.council,
            owner=world.member,
            due_on=MEETING_DAY,
        )


def test_actions_are_on_the_timeline_and_updated_by_owner_or_coordinator_only(minuted):
    action = minuted.action
    assert TimelineEntry.objects.filter(case=action.case, kind="meeting.action_created").exists()
    with pytest.raises(PermissionDenied):
        services.do_update_action(actor=minuted.outsider, action=action, status=ActionStatus.DONE)
    services.do_update_action(
        actor=minuted.member, action=action, status=ActionStatus.DONE, note="Visited"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on is not None
    assert TimelineEntry.objects.filter(case=action.case, kind="meeting.action_updated").exists()


def test_overdue_actions_are_seen_by_their_owner_and_the_coordinator(minuted):
    action = minuted.action
    late = action.due_on + timedelta(days=1)
    assert list(overdue(actions_visible_to(minuted.member), late)) == [action]
    assert list(overdue(actions_visible_to(minuted.coordinator), late)) == [action]
    assert not overdue(actions_visible_to(minuted.outsider), late).exists()
    assert not overdue(actions_visible_to(minuted.other_coordinator), late).exists()
    assert not overdue(actions_visible_to(minuted.member), action.due_on).exists()


def test_meetings_are_visible_to_panel_members_only(world):
    assert list(meetings_visible_to(world.coordinator)) == [world.meeting]
    assert list(meetings_visible_to(world.member)) == [world.meeting]
    assert not meetings_visible_to(world.outsider).exists()
    assert not meetings_visible_to(world.other_coordinator).exists()
