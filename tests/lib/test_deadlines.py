"""Deadlines on calendar and working-day clocks, and where a step stands, on real dates.

Due dates are counted by hand from the GOV.UK bank holiday list (England and Wales)."""

import doctest
from datetime import date

import pytest

from csphub.lib import deadlines
from csphub.lib.deadlines import (
    CALENDAR_DAYS,
    Deadline,
    DeadlineState,
    Timescale,
    WorkingDays,
    deadline_state,
)

DUE = date(2025, 3, 31)


@pytest.mark.parametrize(
    ("today", "done_on", "needed", "expected"),
    [
        (date(2025, 3, 30), None, True, DeadlineState.DUE),
        (date(2025, 3, 31), None, True, DeadlineState.DUE),  # due today is not yet late
        (date(2025, 4, 1), None, True, DeadlineState.OVERDUE),
        (date(2025, 4, 1), date(2025, 3, 31), True, DeadlineState.MET),  # done on the day
        (date(2025, 4, 1), date(2025, 3, 1), True, DeadlineState.MET),
        (date(2025, 4, 9), date(2025, 4, 1), True, DeadlineState.LATE),
        (date(2025, 3, 1), date(2025, 4, 1), True, DeadlineState.LATE),  # recorded ahead
        (date(2025, 4, 9), None, False, DeadlineState.NOT_NEEDED),
        (date(2025, 4, 9), date(2025, 4, 1), False, DeadlineState.NOT_NEEDED),
    ],
)
def test_state_of_a_step(today, done_on, needed, expected):
    assert deadline_state(DUE, today=today, done_on=done_on, needed=needed) is expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 3, 27), DeadlineState.DUE),
        (date(2025, 3, 28), DeadlineState.DUE_SOON),
        (date(2025, 3, 31), DeadlineState.DUE_SOON),
        (date(2025, 4, 1), DeadlineState.OVERDUE),
    ],
)
def test_due_soon_from_the_warning_day(today, expected):
    assert deadline_state(DUE, today=today, soon_from=date(2025, 3, 28)) is expected


def test_breached_means_overdue_or_late():
    assert {s for s in DeadlineState if s.breached} == {DeadlineState.OVERDUE, DeadlineState.LATE}
    assert {s for s in DeadlineState if s.pending} == {
        DeadlineState.DUE,
        DeadlineState.DUE_SOON,
        DeadlineState.OVERDUE,
    }


def test_states_read_as_the_words_pages_compare_and_show():
    assert DeadlineState.OVERDUE == "overdue" and DeadlineState.NOT_NEEDED == "not needed"
    assert [s.label for s in DeadlineState] == [
        "Due",
        "Due soon",
        "Overdue",
        "On time",
        "Late",
        "Not needed",
    ]


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2024, 12, 20), 3, date(2024, 12, 27)),  # Christmas and Boxing Day
        (date(2024, 12, 31), 1, date(2025, 1, 2)),  # New Year's Day
        (date(2025, 4, 17), 1, date(2025, 4, 22)),  # Good Friday and Easter Monday
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # the Coronation, Monday 8 May 2023
        (date(2024, 2, 28), 1, date(2024, 2, 29)),  # a leap day is a working day
        (date(2024, 3, 28), 1, date(2024, 4, 2)),  # Good Friday 29 March, Easter Monday 1 April
        (date(2025, 8, 22), 1, date(2025, 8, 26)),  # summer bank holiday, 25 August
    ],
)
def test_working_day_clock_skips_weekends_and_england_and_wales_bank_holidays(start, days, due):
    assert Timescale(days, WorkingDays("ENG")).due(start) == due
    assert Timescale(days, WorkingDays("WLS")).due(start) == due
    assert WorkingDays().between(start, due) == days


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2024, 2, 1), 28, date(2024, 2, 29)),
        (date(2023, 2, 1), 28, date(2023, 3, 1)),
        (date(2024, 12, 20), 12, date(2025, 1, 1)),  # bank holidays count on this clock
        (date(2025, 3, 31), 1, date(2025, 4, 1)),
        (date(9999, 12, 30), 5, date(9999, 12, 31)),  # a nonsense stored date gives a page
    ],
)
def test_calendar_day_clock_counts_every_day(start, days, due):
    assert Timescale(days, CALENDAR_DAYS).due(start) == due


def test_scotland_keeps_its_own_bank_holidays():
    # 2 January is a bank holiday in Scotland, not in England and Wales.
    assert Timescale(1, WorkingDays("ENG")).due(date(2025, 1, 1)) == date(2025, 1, 2)
    assert Timescale(1, WorkingDays("SCT")).due(date(2025, 1, 1)) == date(2025, 1, 3)


def test_timescale_deadline_warns_before_it_is_due():
    # 10 working days from Monday 24 April 2023 (1 and 8 May are bank holidays): Wed 10 May.
    ack = Timescale(10, WorkingDays(), warn=3)
    start = date(2023, 4, 24)
    assert ack.due(start) == date(2023, 5, 10)
    # Three working days before it: Tue 9, Fri 5 (Monday 8 is the Coronation), Thu 4 May.
    assert ack.soon_from(start) == date(2023, 5, 4)
    states = [
        ack.deadline("Ack", start, today=d).state
        for d in (
            date(2023, 5, 3),
            date(2023, 5, 4),
            date(2023, 5, 10),
            date(2023, 5, 11),
        )
    ]
    assert states == ["due", "due soon", "due soon", "overdue"]
    done = ack.deadline("Ack", start, today=date(2023, 5, 20), done_on=date(2023, 5, 10))
    assert (done.state, done.done_on, done.breached) == ("met", date(2023, 5, 10), False)
    assert Timescale(10, WorkingDays()).soon_from(start) is None


def test_a_milestone_with_a_fixed_date():
    milestone = Deadline.assess("Publish the strategy", date(2025, 9, 30), today=date(2025, 10, 1))
    assert (milestone.label, milestone.state, milestone.breached) == (
        "Publish the strategy",
        DeadlineState.OVERDUE,
        True,
    )


def test_the_modules_doctests_pass():
    assert doctest.testmod(deadlines).failed == 0
