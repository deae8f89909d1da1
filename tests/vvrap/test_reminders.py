"""Reminders to leads whose quarterly update is due: once a quarter, no personal data."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from csphub.audit.models import AuditEvent
from csphub.vvrap.reminders import due_quarter, send_update_reminders
from tests.vvrap.conftest import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2025, 6, 1), (2025, 1)),  # Q1's last month
        (date(2025, 7, 31), (2025, 1)),  # the month after Q1
        (date(2025, 8, 15), None),
        (date(2026, 3, 10), (2025, 4)),
        (date(2026, 4, 2), (2025, 4)),
    ],
)
def test_when_an_update_is_due(today, due):
    assert due_quarter(today) == due


def test_each_lead_with_an_update_due_is_reminded_once(vv):
    sent = send_update_reminders(today=date(2025, 12, 3), base_url="https://csp.example")
    assert sent == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    body = by_to[vv.p.owner.email].body
    assert "Action 4.1: https://csp.example/action-plan/actions/" in body
    assert "?quarter=2025-3" in body
    assert "Action 2.1" not in body
    assert vv.p.owner.full_name not in body and "knife crime" not in body
    assert send_update_reminders(today=date(2025, 12, 4), base_url="https://csp.example") == 0
    assert AuditEvent.objects.filter(verb="vvrap.update_reminder_sent").count() == 2


def test_a_lead_whose_update_is_sent_is_not_reminded(vv):
    submit(vv.a41, vv.p.owner, 2025, 3, "green")
    out = StringIO()
    call_command("send_vvrap_reminders", "--date", "2025-12-03", stdout=out)
    assert [m.to for m in mail.outbox] == [[vv.p.member.email]]
    assert out.getvalue().strip() == "Sent 1 update reminder e-mail."
