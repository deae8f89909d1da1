"""Working days: Monday to Friday, less the bank holidays of a UK nation.

Statutory timescales (the ASB case review's "acknowledge within 10 working days") are counted
from the day after the start date, so a deadline N working days after a date is the N-th working
day that follows it. England and Wales share one set of bank holidays ("ENG"); Scotland ("SCT")
and Northern Ireland ("NIR") have their own. Dates come from the `holidays` package, which carries
one-off days such as the Coronation bank holiday of 8 May 2023.

>>> from datetime import date
>>> add_working_days(date(2023, 5, 5), 1)  # Friday; Monday 8 May 2023 was the Coronation
datetime.date(2023, 5, 9)
>>> working_days_between(date(2023, 5, 5), date(2023, 5, 9))
1
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

REGIONS = ("ENG", "WLS", "SCT", "NIR")


@lru_cache(maxsize=256)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    if region not in REGIONS:
        raise ValueError(f"Unknown region {region!r}; expected one of {', '.join(REGIONS)}.")
    return frozenset(holidays.UK(subdiv=region, years=year).keys())


def is_working_day(day: date, *, region: str = "ENG") -> bool:
    """True for Monday to Friday when the day is not a bank holiday in REGION.

    >>> is_working_day(date(2023, 5, 8)), is_working_day(date(2023, 5, 9))
    (False, True)
    """
    return day.weekday() < 5 and day not in _bank_holidays(region, day.year)


def add_working_days(start: date, n: int, *, region: str = "ENG") -> date:
    """The N-th working day after START (START itself never counts); N < 0 counts backwards.

    With N = 0 the result is START when it is a working day, else the next working day.
    Counting past the last (or first) date Python can hold stops there rather than failing,
    so a nonsense date stored long ago still gives a page, not an error.

    >>> add_working_days(date(2024, 12, 20), 3)  # Friday; Christmas and Boxing Day skipped
    datetime.date(2024, 12, 27)
    """
    if n == 0:
        day = start
        while not is_working_day(day, region=region):
            if day == date.max:
                return day
            day += timedelta(days=1)
        return day
    step = timedelta(days=1 if n > 0 else -1)
    edge = date.max if n > 0 else date.min
    remaining = abs(n)
    day = start
    while remaining:
        if day == edge:
            return day
        day += step
        if is_working_day(day, region=region):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, *, region: str = "ENG") -> int:
    """Working days after A up to and including B; negative when B is before A.

    The inverse of `add_working_days`: ``working_days_between(d, add_working_days(d, n)) == n``.

    >>> working_days_between(date(2025, 4, 17), date(2025, 4, 22))  # Good Friday, Easter Monday
    1
    """
    if b < a:
        return -working_days_between(b, a, region=region)
    count = 0
    day = a
    while day < b:  # b is at most date.max, so day + 1 never overflows
        day += timedelta(days=1)
        if is_working_day(day, region=region):
            count += 1
    return count
