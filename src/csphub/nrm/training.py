"""The monthly child exploitation training workshop, counted for the NRM figures.

The workshop is recorded once, by the community activity app, as professional training
(docs/community.md). This module only reads those records through
`csphub.community.selectors.training_sessions` — there is no second record of a session here.
A session counts when it is professional training on child exploitation or on modern slavery
and the NRM (the community app's themes `exploitation` and `nrm`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from csphub.community.selectors import training_sessions
from csphub.lib.periods import FINANCIAL, Period

THEMES = ("exploitation", "nrm")


@dataclass
class Session:
    held_on: date
    topic: str
    reference: str
    attendees: int


@dataclass
class Workshops:
    """The workshop sessions in PERIOD, their topics and attendees by agency."""

    period: Period
    sessions: list[Session] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)
    by_agency: list[tuple[str, int]] = field(default_factory=list)

    @property
    def attendees(self) -> int:
        return sum(n for _, n in self.by_agency)


def year_from(value: str | None, today: date) -> int:
    """The financial year asked for as ?year= (its first calendar year), else TODAY's."""
    default = FINANCIAL.year_of(today)
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def workshops(user: Any, year: int) -> Workshops:
    """The child exploitation training sessions in financial YEAR that USER may see."""
    period = FINANCIAL.named(year)
    rows = training_sessions(user, period.first_day, period.last_day).filter(theme__in=THEMES)
    found = Workshops(period=period)
    topics: Counter[str] = Counter()
    agencies: Counter[str] = Counter()
    for activity in rows:
        attendance = list(activity.attendance.all())
        found.sessions.append(
            Session(
                held_on=activity.held_on,
                topic=activity.topic,
                reference=activity.reference,
                attendees=sum(a.attendees for a in attendance),
            )
        )
        topics[activity.topic] += 1
        for a in attendance:
            agencies[a.agency.name] += a.attendees
    found.topics = sorted(topics.items())
    found.by_agency = sorted((name, n) for name, n in agencies.items() if n)
    return found


def may_record(user: Any) -> bool:
    """Whether USER may record a session in the community app (the link is shown to them)."""
    return bool(
        user.has_perm("community.record_activity") or user.has_perm("funding.manage_funding")
    )
