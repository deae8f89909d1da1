"""Reporting periods at their edges: 31 March / 1 April, 30 September / 1 October, year ends and
leap days. Every expected value is written out by hand from the definitions (a financial year
runs April to March, Q1 is April to June, the Serious Violence Duty year October to September).
"""

import doctest
from datetime import date, timedelta

import pytest

import crimestats.periods
from csphub.lib import periods
from csphub.lib.periods import (
    CALENDAR,
    FINANCIAL,
    SV_DUTY,
    Period,
    add_months,
    financial_year,
    quarter,
    quarter_of,
    rolling_months,
)


def test_the_apps_name_is_the_one_implementation():
    # csphub.lib.periods defines nothing: every name it offers is crimestats.periods' own.
    for name in periods.__all__:
        assert getattr(periods, name) is getattr(crimestats.periods, name), name
    defined_here = [
        name
        for name, value in vars(periods).items()
        if getattr(value, "__module__", None) == periods.__name__
    ]
    assert defined_here == []


@pytest.mark.parametrize(
    ("day", "label", "first", "last"),
    [
        (date(2024, 3, 31), "2023-24", date(2023, 4, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), "2024-25", date(2024, 4, 1), date(2025, 3, 31)),
        (date(2023, 12, 31), "2023-24", date(2023, 4, 1), date(2024, 3, 31)),
        (date(2024, 1, 1), "2023-24", date(2023, 4, 1), date(2024, 3, 31)),
        (date(2024, 2, 29), "2023-24", date(2023, 4, 1), date(2024, 3, 31)),
        (date(1999, 4, 1), "1999-00", date(1999, 4, 1), date(2000, 3, 31)),
    ],
)
def test_financial_year_of_a_day(day, label, first, last):
    fy = FINANCIAL.containing(day)
    assert (fy.label, fy.first_day, fy.last_day, fy.months) == (label, first, last, 12)
    assert day in fy


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2025, 1, 1), 2024),
        (date(2024, 12, 31), 2024),
    ],
)
def test_financial_year_is_named_by_the_year_it_starts(day, year):
    assert FINANCIAL.year_of(day) == year
    assert FINANCIAL.named(year) == financial_year(f"{year}-{(year + 1) % 100:02d}")


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2024, 4, 1), "2024-25 Q1", date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 6, 30), "2024-25 Q1", date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), "2024-25 Q2", date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 9, 30), "2024-25 Q2", date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), "2024-25 Q3", date(2024, 10, 1), date(2024, 12, 31)),
        (date(2024, 12, 31), "2024-25 Q3", date(2024, 10, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), "2024-25 Q4", date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 3, 31), "2024-25 Q4", date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), "2025-26 Q1", date(2025, 4, 1), date(2025, 6, 30)),
        (date(2024, 2, 29), "2023-24 Q4", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_quarter_of_a_day(day, label, start, end):
    q = quarter_of(day)
    assert (q.label, q.first_day, q.last_day, q.months) == (label, start, end, 3)


def test_quarters_are_numbered_one_to_four():
    assert quarter(2023, 1).to_json() == {"from": "2023-04", "to": "2023-06"}
    assert quarter(2023, 4).to_json() == {"from": "2024-01", "to": "2024-03"}
    for bad in (0, 5):
        with pytest.raises(ValueError, match="not a quarter"):
            quarter(2023, bad)


def test_a_quarter_before_the_first_is_the_last_of_the_year_before():
    assert quarter(2024, 1).previous() == quarter(2023, 4)
    assert quarter(2024, 3).previous() == quarter(2024, 2)
    assert quarter(2024, 2).previous().label == "2024-25 Q1"


@pytest.mark.parametrize(
    ("day", "year", "start", "end"),
    [
        (date(2023, 9, 30), 2023, date(2022, 10, 1), date(2023, 9, 30)),
        (date(2023, 10, 1), 2024, date(2023, 10, 1), date(2024, 9, 30)),
        (date(2023, 12, 31), 2024, date(2023, 10, 1), date(2024, 9, 30)),
        (date(2024, 1, 1), 2024, date(2023, 10, 1), date(2024, 9, 30)),
        (date(2024, 2, 29), 2024, date(2023, 10, 1), date(2024, 9, 30)),
    ],
)
def test_serious_violence_duty_year_is_named_by_the_september_it_ends(day, year, start, end):
    assert SV_DUTY.year_of(day) == year
    sv = SV_DUTY.containing(day)
    assert (sv.first_day, sv.last_day) == (start, end)
    assert sv.label == f"year ending September {year}"


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2023, 12, 31), 2023), (date(2024, 1, 1), 2024), (date(2024, 2, 29), 2024)],
)
def test_calendar_year_of_a_day(day, year):
    cy = CALENDAR.containing(day)
    assert (cy.label, cy.first_day, cy.last_day) == (
        str(year),
        date(year, 1, 1),
        date(year, 12, 31),
    )


@pytest.mark.parametrize(
    ("month", "calendar", "financial", "sv_duty"),
    [
        # The latest whole year of each kind whose last month is the given month or earlier.
        (date(2025, 12, 1), 2025, 2024, 2025),
        (date(2025, 11, 1), 2024, 2024, 2025),
        (date(2025, 10, 1), 2024, 2024, 2025),
        (date(2025, 9, 1), 2024, 2024, 2025),
        (date(2025, 8, 1), 2024, 2024, 2024),
        (date(2025, 4, 1), 2024, 2024, 2024),
        (date(2025, 3, 1), 2024, 2024, 2024),
        (date(2025, 3, 31), 2024, 2024, 2024),
        (date(2025, 2, 1), 2024, 2023, 2024),
        (date(2025, 1, 1), 2024, 2023, 2024),
    ],
)
def test_latest_whole_year_of_each_kind(month, calendar, financial, sv_duty):
    assert CALENDAR.latest_whole(month) == calendar
    assert FINANCIAL.latest_whole(month) == financial
    assert SV_DUTY.latest_whole(month) == sv_duty


@pytest.mark.parametrize(
    ("last", "start", "end", "last_day"),
    [
        (date(2024, 2, 29), date(2023, 3, 1), date(2024, 2, 1), date(2024, 2, 29)),
        (date(2023, 2, 28), date(2022, 3, 1), date(2023, 2, 1), date(2023, 2, 28)),
        (date(2024, 12, 31), date(2024, 1, 1), date(2024, 12, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2024, 2, 1), date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 3, 15), date(2024, 4, 1), date(2025, 3, 1), date(2025, 3, 31)),
    ],
)
def test_rolling_year_is_the_twelve_months_ending_with_a_month(last, start, end, last_day):
    rolling = rolling_months(last)
    assert (rolling.start, rolling.end, rolling.last_day, rolling.months) == (
        start,
        end,
        last_day,
        12,
    )


def test_rolling_months_of_other_lengths():
    assert rolling_months(date(2024, 6, 30), 3) == Period(
        date(2024, 4, 1), date(2024, 6, 1), "April to June 2024"
    )
    assert rolling_months(date(2024, 6, 1), 1).months == 1
    with pytest.raises(ValueError, match="at least one month"):
        rolling_months(date(2024, 6, 1), 0)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 2, 29), -12, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
        (date(2023, 12, 31), 1, date(2024, 1, 31)),
        (date(2024, 1, 1), -1, date(2023, 12, 1)),
        (date(2023, 4, 1), 11, date(2024, 3, 1)),
        (date(1, 3, 1), -3, date.min),
        (date(9999, 11, 30), 2, date.max),
    ],
)
def test_add_months_clamps_to_the_month_and_the_calendar(day, n, expected):
    assert add_months(day, n) == expected


def test_every_day_of_seven_years_is_in_exactly_one_quarter_of_its_financial_year():
    day, last = date(2020, 1, 1), date(2026, 12, 31)
    while day <= last:
        fy, q, sv = FINANCIAL.containing(day), quarter_of(day), SV_DUTY.containing(day)
        assert day in fy and day in q and day in sv and day in CALENDAR.containing(day)
        quarters = [quarter(FINANCIAL.year_of(day), n) for n in (1, 2, 3, 4)]
        assert [day in each for each in quarters].count(True) == 1
        assert quarters[0].first_day == fy.first_day and quarters[3].last_day == fy.last_day
        day += timedelta(days=1)


def test_a_day_outside_a_period_is_not_in_it():
    fy = financial_year("2023-24")
    assert date(2023, 3, 31) not in fy
    assert date(2024, 4, 1) not in fy


def test_crime_page_kinds_are_the_periods_kinds():
    from csphub.crime.choices import PeriodKind

    # Every kind of year, plus the two that end with the latest month of data.
    assert {kind.value for kind in PeriodKind} == set(periods.YEAR_KINDS) | {"rolling", "month"}


def test_the_modules_doctests_pass():
    assert doctest.testmod(periods).failed == 0


@pytest.mark.parametrize(
    ("period", "label"),
    [
        # The baseline of a rolling year ending October 2025 is the one ending October 2019.
        (rolling_months(date(2025, 10, 1)).baseline_2019(), "year ending October 2019"),
        (rolling_months(date(2024, 9, 30)), "year ending September 2024"),
        (rolling_months(date(2024, 9, 1)).previous(), "year ending September 2023"),
        (SV_DUTY.named(2024), "year ending September 2024"),
        (SV_DUTY.named(2024).baseline_2019(), "year ending September 2019"),
        (rolling_months(date(2026, 2, 1), 1), "February 2026"),
        (rolling_months(date(2024, 12, 1), 3), "October to December 2024"),
        (rolling_months(date(2024, 2, 1), 4), "November 2023 to February 2024"),
        (periods.window("2023-01:2024-06"), "January 2023 to June 2024"),
        # Calendar and financial years and quarters keep the names partnerships use.
        (CALENDAR.named(2023).baseline_2019(), "2019"),
        (financial_year("2023-24").baseline_2019(), "2018-19"),
        (quarter(2023, 3), "2023-24 Q3"),
    ],
)
def test_runs_of_months_are_labelled_as_ons_labels_them(period, label):
    assert period.label == label
