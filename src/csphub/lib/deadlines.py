"""Deadlines: a timescale counted on a clock from a start date, and where a step stands by it.

A timescale is N days on a clock: calendar days, or working days (Monday to Friday less the
bank holidays of a UK nation, `csphub.lib.workingdays`). Counting starts the day after the
start date, so "10 working days from receipt" is the tenth working day after it. Where a step
stands on a day is one of the `DeadlineState`s:

- due: not done, and the due date has not passed;
- due soon: not done, due within the timescale's warning days (when it gives any);
- overdue: not done, and the due date has passed (breached);
- met: done on or before the due date;
- late: done, after the due date (breached);
- not needed: the step does not apply (say, a review meeting after the threshold was not met).

The ASB case review's statutory timescales use it; NRM decision targets and action-plan
milestones are meant to.

>>> ack = Timescale(10, WorkingDays("ENG"))
>>> ack.due(date(2023, 4, 24))  # 1 May and the Coronation (8 May) are bank holidays
datetime.date(2023, 5, 10)
>>> ack.deadline("Acknowledge", date(2023, 4, 24), today=date(2023, 5, 11)).state
<DeadlineState.OVERDUE: 'overdue'>
>>> Timescale(28, CALENDAR_DAYS).due(date(2024, 2, 1))
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from csphub.lib.dates import add_days
from csphub.lib.workingdays import add_working_days, working_days_between


class DeadlineState(StrEnum):
    """Where a step stands against its due date on a given day."""

    DUE = "due"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    MET = "met"
    LATE = "late"
    NOT_NEEDED = "not needed"

    @property
    def label(self) -> str:
        """What a page shows."""
        return _LABELS[self]

    @property
    def breached(self) -> bool:
        """Whether the due date was missed: overdue now, or done late."""
        return self in (DeadlineState.OVERDUE, DeadlineState.LATE)

    @property
    def pending(self) -> bool:
        """Whether the step is still to be done."""
        return self in (DeadlineState.DUE, DeadlineState.DUE_SOON, DeadlineState.OVERDUE)


_LABELS = {
    DeadlineState.DUE: "Due",
    DeadlineState.DUE_SOON: "Due soon",
    DeadlineState.OVERDUE: "Overdue",
    DeadlineState.MET: "On time",
    DeadlineState.LATE: "Late",
    DeadlineState.NOT_NEEDED: "Not needed",
}


def deadline_state(
    due: date,
    *,
    today: date,
    done_on: date | None = None,
    needed: bool = True,
    soon_from: date | None = None,
) -> DeadlineState:
    """Where a step due on DUE stands on TODAY: done on DONE_ON (None: not yet), NEEDED at all,
    and "due soon" from SOON_FROM (None: never).

    >>> deadline_state(date(2025, 3, 31), today=date(2025, 3, 31))
    <DeadlineState.DUE: 'due'>
    >>> deadline_state(date(2025, 3, 31), today=date(2025, 4, 1))
    <DeadlineState.OVERDUE: 'overdue'>
    >>> deadline_state(date(2025, 3, 31), today=date(2025, 4, 9), done_on=date(2025, 4, 1))
    <DeadlineState.LATE: 'late'>
    """
    if not needed:
        return DeadlineState.NOT_NEEDED
    if done_on is not None:
        return DeadlineState.MET if done_on <= due else DeadlineState.LATE
    if today > due:
        return DeadlineState.OVERDUE
    if soon_from is not None and today >= soon_from:
        return DeadlineState.DUE_SOON
    return DeadlineState.DUE


class Clock(Protocol):
    """How days are counted: every day, or working days only."""

    def add(self, start: date, days: int) -> date:
        """The DAYS-th counted day after START (START never counts); negative counts back."""
        ...

    def between(self, a: date, b: date) -> int:
        """Counted days after A up to and including B; negative when B is before A."""
        ...


@dataclass(frozen=True)
class CalendarDays:
    """Every day counts."""

    def add(self, start: date, days: int) -> date:
        return add_days(start, days)

    def between(self, a: date, b: date) -> int:
        return (b - a).days


@dataclass(frozen=True)
class WorkingDays:
    """Monday to Friday, less the bank holidays of REGION ("ENG" and "WLS" share theirs)."""

    region: str = "ENG"

    def add(self, start: date, days: int) -> date:
        return add_working_days(start, days, region=self.region)

    def between(self, a: date, b: date) -> int:
        return working_days_between(a, b, region=self.region)


CALENDAR_DAYS = CalendarDays()


@dataclass(frozen=True)
class Deadline:
    """A step, when it was due, when it was done, and where it stood on the day assessed."""

    label: str
    due: date
    done_on: date | None
    state: DeadlineState

    @property
    def breached(self) -> bool:
        return self.state.breached

    @classmethod
    def assess(
        cls,
        label: str,
        due: date,
        *,
        today: date,
        done_on: date | None = None,
        needed: bool = True,
        soon_from: date | None = None,
    ) -> Deadline:
        """A step with a fixed due date (a milestone) as it stands on TODAY."""
        state = deadline_state(
            due, today=today, done_on=done_on, needed=needed, soon_from=soon_from
        )
        return cls(label, due, done_on, state)


@dataclass(frozen=True)
class Timescale:
    """DAYS counted on CLOCK from a start date; "due soon" from WARN counted days before it.

    >>> t = Timescale(5, WorkingDays(), warn=2)
    >>> t.due(date(2025, 4, 17)), t.soon_from(date(2025, 4, 17))  # over Easter 2025
    (datetime.date(2025, 4, 28), datetime.date(2025, 4, 24))
    """

    days: int
    clock: Clock = CALENDAR_DAYS
    warn: int = 0

    def due(self, start: date) -> date:
        """The day the step is due, counted from START."""
        return self.clock.add(start, self.days)

    def soon_from(self, start: date) -> date | None:
        """The first day the step counts as due soon, or None without a warning."""
        if self.warn <= 0:
            return None
        return self.clock.add(self.due(start), -self.warn)

    def deadline(
        self,
        label: str,
        start: date,
        *,
        today: date,
        done_on: date | None = None,
        needed: bool = True,
    ) -> Deadline:
        """The step LABEL, begun on START, as it stands on TODAY."""
        return Deadline.assess(
            label,
            self.due(start),
            today=today,
            done_on=done_on,
            needed=needed,
            soon_from=self.soon_from(start),
        )
