"""The co-ordinator's daily digest of overdue actions: once a day, counts and case references
only, to co-ordinators of the panels concerned, audited."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail

from csphub.audit.models import AuditEvent
from csphub.meetings import services
from csphub.meetings.models import Action, CoordinatorDigest
from csphub.meetings.reminders import send_coordinator_digests
from csphub.panels.choices import MembershipRole
from tests.factories import AgencyFactory, MembershipFactory, PanelFactory
from tests.meetings.conftest import MEETING_DAY


def _overdue_world(minuted):
    """The case action plus a second case action (council) and a meeting action, all late."""
    w = minuted
    council_owner = w.other_coordinator  # works for the council
    # An owner of a case action must be able to open the case: they sit on this panel too.
    MembershipFactory(panel=w.panel, user=council_owner)
    services.do_create_action(
        actor=w.coordinator,
        meeting=w.meeting,
        item=w.items[1],
        description="Housing review for the family",
        owning_agency=w.council,
        owner=council_owner,
        due_on=MEETING_DAY + timedelta(days=3),
    )
    services.do_create_action(
        actor=w.coordinator,
        meeting=w.meeting,
        item=None,
        theme="Knife crime among under-18s",
        description="Weapons sweep of the park",
        owning_agency=w.police,
        owner=w.member,
        due_on=MEETING_DAY + timedelta(days=1),
    )
    return MEETING_DAY + timedelta(days=30)


def _digests_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_coordinator_gets_one_digest_a_day_with_counts_by_agency_and_case_links(minuted):
    late = _overdue_world(minuted)
    assert send_coordinator_digests(today=late, base_url="https://c.example") == 1
    assert send_coordinator_digests(today=late, base_url="https://c.example") == 0
    [digest] = _digests_to(minuted.coordinator)
    assert digest.subject == "Daily digest: 3 overdue actions on your panels"
    body = digest.body
    assert "Violence Intervention Panel: 3 overdue actions" in body
    assert f"- {minuted.police.name}: 2" in body
    assert f"- {minuted.council.name}: 1" in body
    for item in minuted.items:
        assert f"- {item.case.reference}: https://c.example/cases/{item.case.pk}/" in body
    assert "Actions for a meeting as a whole: 1" in body
    assert f"https://c.example/meetings/panels/{minuted.panel.pk}/overdue-actions/" in body
    # The next day, still overdue: one more.
    assert send_coordinator_digests(today=late + timedelta(days=1), base_url="http://x") == 1
    assert CoordinatorDigest.objects.filter(coordinator=minuted.coordinator).count() == 2


def test_digest_holds_no_personal_data_nor_the_actions_wording(minuted):
    late = _overdue_world(minuted)
    send_coordinator_digests(today=late, base_url="http://x")
    body = mail.outbox[0].body + mail.outbox[0].subject
    secrets = ["Joint home visit", "Housing review", "Weapons sweep", "Knife crime"]
    secrets += [minuted.member.full_name, minuted.member.email, "Accept and visit"]
    for item in minuted.items:
        person = item.case.subjects.first().person
        secrets += [person.given_name, person.family_name]
    for secret in secrets:
        assert secret not in body


def test_digest_is_audited(minuted):
    late = _overdue_world(minuted)
    send_coordinator_digests(today=late, base_url="http://x")
    event = AuditEvent.objects.get(verb="meeting.coordinator_digest_sent")
    digest = CoordinatorDigest.objects.get()
    assert event.actor is None
    assert event.target_id == str(digest.pk)
    assert event.payload == {
        "coordinator": str(minuted.coordinator.pk),
        "day": late.isoformat(),
        "actions": 3,
        "panels": [str(minuted.panel.pk)],
    }


def test_no_digest_without_overdue_actions_nor_for_other_panels_coordinators(minuted):
    # Nothing overdue yet.
    assert send_coordinator_digests(today=MEETING_DAY, base_url="http://x") == 0
    late = _overdue_world(minuted)
    Action.objects.update(status="done")
    assert send_coordinator_digests(today=late, base_url="http://x") == 0
    Action.objects.update(status="in_progress")
    assert send_coordinator_digests(today=late, base_url="http://x") == 1
    # The other panel's co-ordinator (who owns one of the actions) gets no digest of this panel.
    assert _digests_to(minuted.other_coordinator) == []
    assert _digests_to(minuted.member) == []


def test_one_digest_covers_every_panel_a_coordinator_runs(minuted):
    late = _overdue_world(minuted)
    crest = PanelFactory(name="CREST", slug="crest-2")
    MembershipFactory(panel=crest, user=minuted.coordinator, role=MembershipRole.COORDINATOR)
    crest_meeting = services.do_schedule_meeting(
        actor=minuted.coordinator, panel=crest, scheduled_for=minuted.meeting.scheduled_for
    )
    services.do_create_action(
        actor=minuted.coordinator,
        meeting=crest_meeting,
        item=None,
        theme="Exploitation hot spots",
        description="Mapping",
        owning_agency=minuted.police,
        owner=minuted.member,
        due_on=MEETING_DAY,
    )
    assert send_coordinator_digests(today=late, base_url="http://x") == 1
    body = _digests_to(minuted.coordinator)[0].body
    assert "CREST: 1 overdue action\n" in body
    assert "Violence Intervention Panel: 3 overdue actions" in body


def test_a_case_moved_out_of_the_coordinators_sight_is_counted_not_named(minuted):
    late = _overdue_world(minuted)
    moved = minuted.items[0].case
    moved.panel = PanelFactory(slug="elsewhere")
    moved.owning_agency = AgencyFactory(name="Another agency")
    moved.save()
    send_coordinator_digests(today=late, base_url="http://x")
    body = _digests_to(minuted.coordinator)[0].body
    assert moved.reference not in body
    assert "Cases since moved out of your sight: 1" in body
    assert minuted.items[1].case.reference in body


def test_inactive_coordinators_or_without_email_get_none(minuted):
    late = _overdue_world(minuted)
    minuted.coordinator.email = ""
    minuted.coordinator.save()
    assert send_coordinator_digests(today=late, base_url="http://x") == 0
    minuted.coordinator.email = "coord@example.test"
    minuted.coordinator.is_active = False
    minuted.coordinator.save()
    assert send_coordinator_digests(today=late, base_url="http://x") == 0
    assert mail.outbox == []
