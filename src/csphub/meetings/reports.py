"""The figures meetings adds to a panel's dashboard (`csphub.panels.reports.MeetingFigures`)."""

from __future__ import annotations

from django.db.models import Min, Q
from django.utils import timezone

from csphub.meetings.models import Action, AgendaItem
from csphub.panels.models import Panel


def overdue_actions(panel: Panel) -> int:
    """Open actions past their due date: the panel's meetings' and its cases' own (as
    meetings.selectors.actions_of_panels counts them)."""
    return (
        Action.objects.filter(
            Q(meeting__panel=panel) | Q(meeting__isnull=True, case__panel=panel),
            due_on__lt=timezone.localdate(),
        )
        .exclude(status__in=["done", "cancelled"])
        .count()
    )


def first_discussion_days(panel: Panel) -> list[int]:
    """Days from referral to the first meeting of this panel that had the case on its agenda."""
    firsts = (
        AgendaItem.objects.filter(
            meeting__panel=panel, case__panel=panel, meeting__scheduled_for__lte=timezone.now()
        )
        .values("case_id", "case__referred_at")
        .annotate(first=Min("meeting__scheduled_for"))
    )
    return [
        (timezone.localdate(row["first"]) - timezone.localdate(row["case__referred_at"])).days
        for row in firsts
    ]
