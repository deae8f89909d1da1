"""Notifications: in the service and by e-mail, sent after commit, references only, retried."""

import logging
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from csphub.accounts.models import Agency
from csphub.meetings import services as meeting_services
from csphub.meetings.notices import notify_actions_due_tomorrow
from csphub.notifications import senders
from csphub.notifications.models import Notification
from csphub.notifications.services import retry_unsent
from csphub.panels import services
from csphub.panels.choices import RISK_INDICATORS, TransitionStatus

SCORES = {code: 1 for code, _ in RISK_INDICATORS}


def _refer(world, **overrides):
    fields = {
        "actor": world.owner,
        "panel": world.vip,
        "given_name": "Amara",
        "family_name": "Osei",
        "date_of_birth": date(2011, 5, 1),
        "address": "4 Sample Close",
        "role": "at_risk",
        "reason_category": "other",
        "reason": "Went missing twice this month.",
        "consent_given": True,
        "risk_level": "medium",
    }
    fields.update(overrides)
    return services.do_refer_person(**fields)


def _no_personal_details(text):
    return all(s not in text for s in ("Amara", "Osei", "2011", "Sample Close", "Okoro"))


def test_a_new_referral_tells_the_panels_coordinator_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = _refer(world)
        assert mail.outbox == []  # nothing leaves before the referral is saved
    assert len(callbacks) == 1
    note = Notification.objects.get(recipient=world.coordinator)
    referral = case.transitions.get()
    assert (
        note.message
        == f"New referral {case.reference} to Violence Intervention Panel awaits your decision"
    )
    assert note.path == reverse("panels:transition_decide", args=[referral.pk])
    assert note.email_sent_at is not None and note.email_attempts == 1
    [email] = mail.outbox
    assert email.to == [world.coordinator.email]
    assert case.reference in email.subject and case.reference in email.body
    assert f"http://127.0.0.1:8000{note.path}" in email.body  # CSPHUB_BASE_URL's default
    assert _no_personal_details(email.subject + email.body)
    # Nobody else was told: not the referrer, not a member, not another panel's co-ordinator.
    assert set(Notification.objects.values_list("recipient", flat=True)) == {world.coordinator.pk}


def test_a_change_rolled_back_tells_nobody(world, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _refer(world)
        raise RuntimeError("the page failed after the referral")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_decision_tells_the_referrer(world, django_capture_on_commit_callbacks):
    case = _refer(world)
    referral = case.transitions.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_decide_transition(
            actor=world.coordinator, transition=referral, decision=TransitionStatus.ACCEPTED
        )
    note = Notification.objects.get(recipient=world.owner)
    assert note.message == (
        f"Your referral of case {case.reference} to Violence Intervention Panel was accepted"
    )
    assert [m.to for m in mail.outbox] == [[world.owner.email]]
    assert _no_personal_details(mail.outbox[0].body)


def test_an_escalation_tells_the_receiving_coordinator(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.do_escalate_case(
            actor=world.coordinator,
            case=world.case,
            to_panel=world.crest,
            reason_category="criminal_exploitation",
            reason="Older males collecting him from school.",
            consent_given=True,
            risk_level="high",
            indicators=SCORES,
        )
    note = Notification.objects.get()
    assert note.recipient == world.crest_coordinator
    assert note.message == f"Case {world.case.reference} escalated to CREST awaits your decision"
    assert [m.to for m in mail.outbox] == [[world.crest_coordinator.email]]


def test_a_transfer_asked_for_by_the_coordinator_does_not_tell_themselves(
    world, make_user, django_capture_on_commit_callbacks
):
    from csphub.accounts.roles import COORDINATOR
    from csphub.panels.choices import MembershipRole
    from tests.factories import MembershipFactory

    second = make_user(COORDINATOR, agency=world.council)
    MembershipFactory(panel=world.vip, user=second, role=MembershipRole.COORDINATOR)
    youth_justice = Agency.objects.create(name="Youth Justice", kind="youth_justice")
    with django_capture_on_commit_callbacks(execute=True):
        services.do_transfer_case(
            actor=world.coordinator,
            case=world.case,
            to_agency=youth_justice,
            reason="Court order: youth justice leads.",
            consent_given=True,
        )
    note = Notification.objects.get()
    assert note.recipient == second
    assert note.message == (
        f"Case {world.case.reference}: transfer to Youth Justice awaits your decision"
    )


def test_an_action_assigned_and_due_tomorrow_tells_its_owner_once(
    world, django_capture_on_commit_callbacks
):
    due = date(2026, 4, 14)
    with django_capture_on_commit_callbacks(execute=True):
        action = meeting_services.do_create_case_action(
            actor=world.coordinator,
            case=world.case,
            description="Home visit with the family",
            owning_agency=world.childrens,
            owner=world.owner,
            due_on=due,
        )
    assigned = Notification.objects.get(recipient=world.owner)
    assert assigned.message == (
        f"Action on case {world.case.reference} assigned to you, due 14 April 2026"
    )
    assert assigned.path == reverse("meetings:action_detail", args=[action.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_actions_due_tomorrow(today=due - timedelta(days=2)) == 0
        assert notify_actions_due_tomorrow(today=due - timedelta(days=1)) == 1
        assert notify_actions_due_tomorrow(today=due - timedelta(days=1)) == 0
    reminder = Notification.objects.get(kind="action_due")
    assert reminder.message == (
        f"Action on case {world.case.reference} is due tomorrow, 14 April 2026"
    )
    assert len(mail.outbox) == 2
    assert all("Home visit" not in m.body and _no_personal_details(m.body) for m in mail.outbox)


class _Broken:
    def send(self, **kwargs):
        raise ConnectionRefusedError("mail.example.org refused")


def test_a_failed_send_keeps_the_change_logs_and_is_retried(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(senders, "sender", lambda: _Broken())
    monkeypatch.setattr("csphub.notifications.services.sender", lambda: _Broken())
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        case = _refer(world)
    assert case.transitions.get().status == TransitionStatus.PENDING  # the referral stands
    note = Notification.objects.get()
    assert (note.email_sent_at, note.email_attempts, note.email_error) == (
        None,
        1,
        "ConnectionRefusedError",
    )
    assert str(note.pk) in caplog.text and world.coordinator.email not in caplog.text
    assert "mail.example.org" not in caplog.text
    monkeypatch.setattr("csphub.notifications.services.sender", lambda: senders.SmtpSender())
    assert retry_unsent() == 1
    note.refresh_from_db()
    assert note.email_sent_at is not None and note.email_attempts == 2
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert retry_unsent() == 0


def test_a_send_that_keeps_failing_stops_after_the_attempts_allowed(
    world, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_EMAIL_ATTEMPTS = 3
    monkeypatch.setattr("csphub.notifications.services.sender", lambda: _Broken())
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    assert retry_unsent() == 0 and retry_unsent() == 0 and retry_unsent() == 0
    note = Notification.objects.get()
    assert note.email_attempts == 3  # one first try and two retries; the third retry skipped


def test_the_list_shows_only_your_own_notifications(client_for, world, client):
    case = _refer(world)
    page = client_for(world.coordinator).get(reverse("notifications:notification_list"))
    assert case.reference in page.content.decode()
    for who in ("owner", "outsider", "crest_coordinator"):
        other = client_for(getattr(world, who)).get(reverse("notifications:notification_list"))
        assert other.status_code == 200 and case.reference not in other.content.decode(), who
    assert client.get(reverse("notifications:notification_list")).status_code == 302


def test_marking_read_marks_only_your_own(client_for, world):
    case = _refer(world)
    services.do_decide_transition(
        actor=world.coordinator,
        transition=case.transitions.get(),
        decision=TransitionStatus.ACCEPTED,
    )
    client_for(world.coordinator).post(reverse("notifications:notifications_read"))
    assert Notification.objects.get(recipient=world.coordinator).read_at is not None
    assert Notification.objects.get(recipient=world.owner).read_at is None
