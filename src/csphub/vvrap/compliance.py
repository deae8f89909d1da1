"""The VRU's minimum standards, checked from the data month by month:

1. every board meeting's agenda carries the four standing items (read from meetings' agenda
   topics, `AgendaTopic.standing_item`);
2. a violent crime tasking meeting was held in the month (the tasking board's meetings), with
   its events tracker;
3. the joint strategic assessment was refreshed within the last 12 months (its recorded status).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from csphub.lib.periods import add_months, month_of
from csphub.meetings.models import Meeting
from csphub.vvrap.choices import BoardKind
from csphub.vvrap.models import AssessmentStatus, Board, TaskingEvent

#: The standing items every board agenda carries: (key, label), registered with meetings.
STANDING_ITEMS: list[tuple[str, str]] = [
    ("vvrap.performance", "Knife, gun and serious violence performance"),
    ("vvrap.habitual_knife_carriers", "Habitual knife carriers"),
    ("vvrap.community_tension", "Community tension monitoring"),
    ("vvrap.stop_and_search", "Stop and search"),
]
STANDING_LABELS = dict(STANDING_ITEMS)

MET, NOT_MET, NO_MEETING, NOT_YET = "met", "not_met", "no_meeting", "not_yet"
STATE_LABELS = {
    MET: "Met",
    NOT_MET: "Not met",
    NO_MEETING: "No board meeting",
    NOT_YET: "Not yet held",
}


@dataclass
class Month:
    month: date
    state: str
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Standard:
    key: str
    title: str
    months: list[Month]


def _bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(month, time.min, tzinfo=tz)
    return start, datetime.combine(add_months(month, 1), time.min, tzinfo=tz)


def missing_standing_items(meeting: Meeting) -> list[str]:
    """The standing items MEETING's agenda does not carry, by label, in the standard's order."""
    carried = set(meeting.topics.values_list("standing_item", flat=True))
    return [label for key, label in STANDING_ITEMS if key not in carried]


def _board_agendas(months: list[date]) -> list[Month]:
    panels = Board.objects.filter(carries_standing_items=True).values("panel_id")
    meetings = list(
        Meeting.objects.filter(panel_id__in=panels)
        .select_related("panel")
        .prefetch_related("topics")
        .order_by("scheduled_for")
    )
    out = []
    for month in months:
        start, end = _bounds(month)
        held = [m for m in meetings if start <= m.scheduled_for < end]
        if not held:
            out.append(Month(month, NO_MEETING))
            continue
        notes = []
        for m in held:
            carried = {t.standing_item for t in m.topics.all()}
            missing = [label for key, label in STANDING_ITEMS if key not in carried]
            if missing:
                notes.append(f"{m.panel.name}, {m.meeting_date:%d %B}: no {', '.join(missing)}")
        out.append(Month(month, NOT_MET if notes else MET, notes))
    return out


def _tasking(months: list[date], now: datetime) -> list[Month]:
    board = Board.objects.filter(kind=BoardKind.TASKING).first()
    meetings = (
        list(Meeting.objects.filter(panel_id=board.panel_id).order_by("scheduled_for"))
        if board
        else []
    )
    events = list(TaskingEvent.objects.values_list("happened_on", "closed_on"))
    this_month = month_of(timezone.localdate())
    out = []
    for month in months:
        start, end = _bounds(month)
        held = [m for m in meetings if start <= m.scheduled_for < end and m.scheduled_for <= now]
        last_day = add_months(month, 1)
        open_events = sum(1 for h, c in events if h < last_day and (c is None or c >= last_day))
        notes = [f"{open_events} open event{'s' if open_events != 1 else ''} on the tracker"]
        if held:
            notes.insert(0, f"Held {held[0].meeting_date:%d %B}")
            out.append(Month(month, MET, notes))
        else:
            out.append(Month(month, NOT_YET if month == this_month else NOT_MET, notes))
    return out


def _assessment(months: list[date]) -> list[Month]:
    refreshes = sorted(AssessmentStatus.objects.values_list("refreshed_on", flat=True))
    out = []
    for month in months:
        end = add_months(month, 1)  # the first day after the month
        done = [d for d in refreshes if d < end]
        if done and done[-1] >= add_months(end, -12):
            out.append(Month(month, MET, [f"Refreshed {done[-1]:%d %B %Y}"]))
        else:
            last = f"Last refreshed {done[-1]:%d %B %Y}" if done else "Never recorded"
            out.append(Month(month, NOT_MET, [last]))
    return out


def compliance(today: date | None = None, months: int = 12) -> list[Standard]:
    """Each minimum standard, met or not, for the MONTHS months to TODAY's (oldest first)."""
    today = today or timezone.localdate()
    last = month_of(today)
    span = [add_months(last, i - months + 1) for i in range(months)]
    now = timezone.now()
    return [
        Standard(
            "standing_items",
            "Board agendas carry the four standing items",
            _board_agendas(span),
        ),
        Standard(
            "tasking",
            "A violent crime tasking meeting held, with its events tracker",
            _tasking(span, now),
        ),
        Standard(
            "assessment",
            "The joint strategic assessment refreshed within 12 months",
            _assessment(span),
        ),
    ]


def summary(today: date | None = None) -> dict[str, Any]:
    """This month's state of each standard, for the home card and the board pack."""
    return {s.key: s.months[-1] for s in compliance(today, months=1)}
