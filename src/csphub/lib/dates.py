"""What a typed date may sensibly be, by what it is for, and date sums that never overflow.

Every date field of every form takes one of these ranges (see csphub.core.forms.GovUKDateField),
so a date of birth next year, an offence in year 1 or a meeting in 9999 is refused at the door
instead of breaking a page later.

>>> today = date(2026, 3, 27)
>>> PAST.earliest(today), PAST.latest(today)
(datetime.date(1906, 3, 27), datetime.date(2026, 3, 27))
>>> PLANNING.earliest(today), PLANNING.latest(today)
(datetime.date(2021, 3, 27), datetime.date(2031, 3, 27))
>>> PAST.problem(date(9999, 12, 31), today)
'late'
>>> PLANNING.problem(date(2026, 4, 1), today) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from csphub.lib.periods import add_months


def shift_years(day: date, years: int) -> date:
    """The same day YEARS later (or earlier); 29 February becomes 28 February; clamped to the
    calendar Python can hold.

    >>> shift_years(date(2024, 2, 29), 1), shift_years(date(9990, 1, 1), 20)
    (datetime.date(2025, 2, 28), datetime.date(9999, 12, 31))
    """
    return add_months(day, 12 * years)


def age_on(born: date, day: date) -> int:
    """Age in whole years on DAY of someone born on BORN: one more on each birthday.

    Someone born on 29 February is a year older on 1 March in a year without one (the day
    after 28 February), as the law of England and Wales counts it. The one rule every age
    check uses (the CREST screen's "under 13" among them), so a form and a service agree.

    >>> age_on(date(2012, 6, 15), date(2025, 6, 14)), age_on(date(2012, 6, 15), date(2025, 6, 15))
    (12, 13)
    >>> age_on(date(2012, 2, 29), date(2025, 2, 28)), age_on(date(2012, 2, 29), date(2025, 3, 1))
    (12, 13)
    """
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def add_days(day: date, days: int) -> date:
    """DAY plus DAYS, stopping at the first or last date Python can hold instead of failing.

    Used where a stored date is read back: a row saved before the forms checked dates (say
    31/12/9999) must not break every page that works out a deadline from it.

    >>> add_days(date(9999, 12, 30), 5), add_days(date(2026, 1, 1), -1)
    (datetime.date(9999, 12, 31), datetime.date(2025, 12, 31))
    """
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@dataclass(frozen=True)
class DateRange:
    """The dates a field accepts: from YEARS_BACK before today to YEARS_AHEAD after it."""

    name: str
    years_back: int
    years_ahead: int

    def earliest(self, today: date) -> date:
        return shift_years(today, -self.years_back)

    def latest(self, today: date) -> date:
        return shift_years(today, self.years_ahead)

    def problem(self, day: date, today: date) -> Literal["early", "late"] | None:
        """Whether DAY is before the range ("early"), after it ("late"), or within it (None)."""
        if day < self.earliest(today):
            return "early"
        if day > self.latest(today):
            return "late"
        return None


# Something that has happened: a date of birth, an offence, an incident, an application
# received, a decision made. Today or earlier, within a lifetime.
PAST = DateRange("past", years_back=120, years_ahead=0)
# Something being arranged: a meeting, a due date. Within a few years of today either way
# (a meeting can be recorded after it was held).
PLANNING = DateRange("planning", years_back=5, years_ahead=5)
# A date to search from or to: wide, but inside the calendar so a range can always be built.
FILTER = DateRange("filter", years_back=120, years_ahead=10)
