"""Working days with England and Wales bank holidays, checked on real calendar dates."""

from datetime import date

import pytest

from csphub.lib.workingdays import add_working_days, is_working_day, working_days_between

# The England and Wales bank holidays as published on GOV.UK, typed in by hand.
ENG_BANK_HOLIDAYS = {
    2023: [
        "2023-01-02",
        "2023-04-07",
        "2023-04-10",
        "2023-05-01",
        "2023-05-08",
        "2023-05-29",
        "2023-08-28",
        "2023-12-25",
        "2023-12-26",
    ],
    2024: [
        "2024-01-01",
        "2024-03-29",
        "2024-04-01",
        "2024-05-06",
        "2024-05-27",
        "2024-08-26",
        "2024-12-25",
        "2024-12-26",
    ],
    2025: [
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
    ],
    2026: [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ],
}


@pytest.mark.parametrize("year", sorted(ENG_BANK_HOLIDAYS))
def test_weekday_bank_holidays_match_the_published_list(year):
    weekdays = [
        date(year, 1, 1).fromordinal(o)
        for o in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1)
    ]
    non_working = [d.isoformat() for d in weekdays if d.weekday() < 5 and not is_working_day(d)]
    assert non_working == ENG_BANK_HOLIDAYS[year]


def test_coronation_bank_holiday_is_not_a_working_day():
    assert not is_working_day(date(2023, 5, 8))
    assert is_working_day(date(2024, 5, 8))


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2025, 6, 7))  # Saturday
    assert not is_working_day(date(2025, 6, 8))  # Sunday
    assert is_working_day(date(2025, 6, 9))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Mon 24 Apr 2023: skips the early May bank holiday (1 May) and the Coronation (8 May).
        (date(2023, 4, 24), 10, date(2023, 5, 10)),
        # Thu 6 Apr 2023: skips Good Friday, Easter Monday and 1 May.
        (date(2023, 4, 6), 15, date(2023, 5, 2)),
        # Fri 20 Dec 2024: skips Christmas, Boxing Day and New Year's Day.
        (date(2024, 12, 20), 20, date(2025, 1, 22)),
        # Thu 24 Dec 2026: Boxing Day falls on a Saturday, so Monday 28th is the substitute day.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        # A Saturday start: the first working day after it is Monday.
        (date(2025, 6, 7), 1, date(2025, 6, 9)),
        (date(2025, 6, 6), 0, date(2025, 6, 6)),
        (date(2025, 6, 7), 0, date(2025, 6, 9)),
        # Backwards from Tue 9 May 2023 over the Coronation to Fri 5 May.
        (date(2023, 5, 9), -1, date(2023, 5, 5)),
    ],
)
def test_add_working_days_on_real_dates(start, n, expected):
    assert add_working_days(start, n) == expected


def test_working_days_between_counts_after_the_first_date_up_to_the_second():
    assert working_days_between(date(2023, 4, 24), date(2023, 5, 10)) == 10
    assert working_days_between(date(2023, 5, 5), date(2023, 5, 9)) == 1
    assert working_days_between(date(2023, 5, 10), date(2023, 4, 24)) == -10
    assert working_days_between(date(2025, 6, 6), date(2025, 6, 6)) == 0


@pytest.mark.parametrize("n", [0, 1, 5, 10, 15, 20, 60])
def test_working_days_between_inverts_add_working_days(n):
    start = date(2023, 3, 31)
    assert working_days_between(start, add_working_days(start, n)) == n


def test_scotland_has_its_own_bank_holidays():
    # 2 January is a bank holiday in Scotland, not in England and Wales.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    assert add_working_days(date(2025, 12, 31), 1, region="SCT") == date(2026, 1, 5)


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="Unknown region"):
        add_working_days(date(2025, 1, 1), 1, region="XX")


def test_docstring_examples_hold():
    import doctest

    from csphub.lib import workingdays

    result = doctest.testmod(workingdays)
    assert result.attempted >= 5
    assert result.failed == 0
