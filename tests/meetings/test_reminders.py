"""The overdue-action reminder job: once a day, to the owner, with no personal data."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command

from csphub.audit.models import AuditEvent
from csphub.meetings.models import Action
from csphub.meetings.reminders import send_action_reminders


def test_owner_of_an_overdue_action_gets_one_email_a_day(minuted):
    action = minuted.action
    late = action.due_on + timedelta(days=3)
    assert send_action_reminders(today=late, base_url="https://csphub.example.org") == 1
    assert send_action_reminders(today=late, base_url="https://csphub.example.org") == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [minuted.member.email]
    assert message.subject == "1 overdue panel action"
    assert f"https://csphub.example.org/meetings/actions/{action.pk}/" in message.body
    assert action.case.reference in message.body
    assert "3 days overdue" in message.body
    # The next day it is still overdue, so one more reminder.
    assert send_action_reminders(today=late + timedelta(days=1), base_url="http://x") == 1
    assert (
        AuditEvent.objects.filter(
            verb="meeting.action_reminder_sent", target_id=str(action.pk)
        ).count()
        == 2
    )


def test_reminder_holds_no_personal_data(minuted):
    send_action_reminders(today=minuted.action.due_on + timedelta(days=1), base_url="http://x")
    body = mail.outbox[0].body + mail.outbox[0].subject
    person = minuted.action.case.subjects.first().person
    for secret in (person.given_name, person.family_name, "Joint home visit", "Accept and visit"):
        assert secret not in body


def test_actions_not_yet_due_or_finished_are_not_reminded(minuted):
    assert send_action_reminders(today=minuted.action.due_on, base_url="http://x") == 0
    Action.objects.filter(pk=minuted.action.pk).update(status="done")
    assert (
        send_action_reminders(today=minuted.action.due_on + timedelta(days=5), base_url="http://x")
        == 0
    )
    assert mail.outbox == []


def test_the_management_command_sends_and_reports(minuted):
    out = StringIO()
    day = (minuted.action.due_on + timedelta(days=2)).isoformat()
    call_command(
        "send_action_reminders", "--date", day, "--base-url", "https://c.example", stdout=out
    )
    assert out.getvalue().strip() == (
        "Sent 1 reminder e-mail and 1 co-ordinator digest; 0 owners told of actions due tomorrow."
    )
    call_command("send_action_reminders", "--date", day, stdout=out)
    assert (
        out.getvalue()
        .strip()
        .endswith(
            "Sent 0 reminder e-mails and 0 co-ordinator digests; 0 owners told of actions due tomorrow."
        )
    )
    assert sorted(m.to[0] for m in mail.outbox) == [minuted.coordinator.email, minuted.member.email]
