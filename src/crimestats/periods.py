"""Reporting periods: the one place a year, a quarter or a window of months is worked out.

Framework-free (the standard library only), so crimestats uses it directly and the Django apps
through ``csphub.lib.periods`` (docs/adr/0009-one-periods-module.md). A period is an inclusive
run of whole months; ``first_day`` and ``last_day`` give the dates it covers.

- calendar year: January to December, named by its year (``2023``);
- financial year: April to March, named by the year it starts in (``2023-24``);
- quarter of a financial year: Q1 April-June, Q2 July-September, Q3 October-December,
  Q4 January-March (``2023-24 Q1``);
- Serious Violence Duty year: October to September, named by the year it ends in;
- rolling months: the N months ending with a given month (12 for a rolling year).

Any other run of months is labelled as ONS labels it: twelve months as "year ending September
2024", one month by its name, others by their first and last months ("April to June 2024",
"November 2023 to February 2024"). Calendar years (``2023``), financial years (``2023-24``) and
their quarters keep the names partnerships use for them.

>>> FINANCIAL.containing(date(2024, 3, 31)).label, FINANCIAL.containing(date(2024, 4, 1)).label
('2023-24', '2024-25')
>>> quarter_of(date(2025, 1, 1)).label
'2024-25 Q4'
>>> SV_DUTY.containing(date(2023, 10, 1)).label
'year ending September 2024'
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date

#: The first national lockdown began on 23 March 2020; baselines end before it.
LAST_PRE_PANDEMIC_MONTH = date(2020, 2, 1)
#: The month a financial year (and its first quarter) starts: April.
FINANCIAL_YEAR_FIRST_MONTH = 4
#: The month a Serious Violence Duty year starts: October.
SV_DUTY_FIRST_MONTH = 10


def add_months(day: date, n: int) -> date:
    """The same day ``n`` months later (negative goes back), clamped to the end of a shorter
    month, and to the calendar Python can hold (a nonsense date stored long ago must not break
    a page). The first of a month stays the first of a month.

    >>> add_months(date(2023, 11, 1), 3)
    datetime.date(2024, 2, 1)
    >>> add_months(date(2025, 8, 31), -6), add_months(date(2024, 1, 31), 1)
    (datetime.date(2025, 2, 28), datetime.date(2024, 2, 29))
    >>> add_months(date(1, 1, 1), -6), add_months(date(9999, 12, 31), 1)
    (datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
    """
    year, month0 = divmod(day.year * 12 + day.month - 1 + n, 12)
    if year < MINYEAR:
        return date.min
    if year > MAXYEAR:
        return date.max
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def month_of(day: date) -> date:
    """The first of DAY's month.

    >>> month_of(date(2024, 2, 29))
    datetime.date(2024, 2, 1)
    """
    return day.replace(day=1)


def parse_month(text: str) -> date:
    """``2023-04`` or ``202304`` to the first of that month.

    >>> parse_month("202304")
    datetime.date(2023, 4, 1)
    """
    m = re.fullmatch(r"(\d{4})-?(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"not a month: {text!r} (use YYYY-MM)")
    return date(int(m.group(1)), int(m.group(2)), 1)


@dataclass(frozen=True)
class Period:
    """An inclusive run of whole months, with a label for people.

    ``start`` and ``end`` are the first days of the first and last months.
    """

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start} to {self.end}")

    @property
    def months(self) -> int:
        """Number of months covered."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def first_day(self) -> date:
        """The first date in the period."""
        return month_of(self.start)

    @property
    def last_day(self) -> date:
        """The last date in the period: the end of its last month.

        >>> financial_year("2023-24").last_day, calendar_year(2024).shifted(-10, "").last_day
        (datetime.date(2024, 3, 31), datetime.date(2024, 2, 29))
        """
        return self.end.replace(day=calendar.monthrange(self.end.year, self.end.month)[1])

    def __contains__(self, day: date) -> bool:
        """Whether DAY falls in the period.

        >>> fy = financial_year("2023-24")
        >>> date(2023, 4, 1) in fy, date(2024, 3, 31) in fy, date(2024, 4, 1) in fy
        (True, True, False)
        """
        return self.first_day <= day <= self.last_day

    def month_list(self) -> list[date]:
        """Every month in the period."""
        return [add_months(self.start, i) for i in range(self.months)]

    def shifted(self, months: int, label: str) -> Period:
        """The same length of period, moved by ``months``."""
        return Period(add_months(self.start, months), add_months(self.end, months), label)

    def previous(self) -> Period:
        """The period of the same length immediately before.

        >>> financial_year("2023-24").previous().label
        '2022-23'
        >>> window("2022-10:2023-09").previous().label
        'year ending September 2022'
        >>> quarter(2024, 1).previous().label
        '2023-24 Q4'
        """
        back = self.shifted(-self.months, "")
        return Period(back.start, back.end, _relabel(self, back))

    def baseline_2019(self) -> Period:
        """The same months in the latest year ending before the pandemic (by March 2020).

        >>> calendar_year(2023).baseline_2019().label
        '2019'
        >>> financial_year("2023-24").baseline_2019().label
        '2018-19'
        """
        years = self.end.year - LAST_PRE_PANDEMIC_MONTH.year
        moved = self.shifted(-12 * years, "")
        if moved.end > LAST_PRE_PANDEMIC_MONTH:
            moved = moved.shifted(-12, "")
        return Period(moved.start, moved.end, _relabel(self, moved))

    def to_json(self) -> dict[str, str]:
        """``{"from": "YYYY-MM", "to": "YYYY-MM"}`` as the figures contract wants."""
        return {"from": self.start.strftime("%Y-%m"), "to": self.end.strftime("%Y-%m")}


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _month_name(day: date) -> str:
    # Not strftime's %B, which follows the process's locale.
    return _MONTH_NAMES[day.month - 1]


def _months_label(start: date, end: date) -> str:
    """A run of months as ONS writes it.

    >>> _months_label(date(2018, 11, 1), date(2019, 10, 1))
    'year ending October 2019'
    >>> _months_label(date(2024, 4, 1), date(2024, 6, 1))
    'April to June 2024'
    >>> _months_label(date(2024, 2, 1), date(2024, 2, 1))
    'February 2024'
    >>> _months_label(date(2023, 11, 1), date(2024, 2, 1))
    'November 2023 to February 2024'
    """
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 12:
        return f"year ending {_month_name(end)} {end.year}"
    if months == 1:
        return f"{_month_name(end)} {end.year}"
    if start.year == end.year:
        return f"{_month_name(start)} to {_month_name(end)} {end.year}"
    return f"{_month_name(start)} {start.year} to {_month_name(end)} {end.year}"


def _financial_label(start: date, end: date) -> str:
    return f"{start.year}-{end.year % 100:02d}"


@dataclass(frozen=True)
class YearKind:
    """A way of cutting the calendar into years of twelve months starting in FIRST_MONTH.

    A year is named by the calendar year it starts in, or (NAMED_BY_END) the one it ends in,
    as the Serious Violence Duty's October-September year is.
    """

    key: str
    first_month: int
    label: Callable[[date, date], str]
    named_by_end: bool = False

    @property
    def _name_offset(self) -> int:
        """How many years the name is ahead of the year the period starts in."""
        return 1 if self.named_by_end and self.first_month > 1 else 0

    def named(self, year: int) -> Period:
        """The year called YEAR.

        >>> FINANCIAL.named(2023).to_json(), SV_DUTY.named(2023).to_json()
        ({'from': '2023-04', 'to': '2024-03'}, {'from': '2022-10', 'to': '2023-09'})
        """
        start = date(year - self._name_offset, self.first_month, 1)
        end = add_months(start, 11)
        return Period(start, end, self.label(start, end))

    def year_of(self, day: date) -> int:
        """The name of the year DAY falls in.

        >>> FINANCIAL.year_of(date(2025, 3, 31)), FINANCIAL.year_of(date(2025, 4, 1))
        (2024, 2025)
        """
        start_year = day.year if day.month >= self.first_month else day.year - 1
        return start_year + self._name_offset

    def containing(self, day: date) -> Period:
        """The year DAY falls in."""
        return self.named(self.year_of(day))

    def latest_whole(self, month: date) -> int:
        """The name of the latest year whose last month is MONTH or earlier.

        >>> FINANCIAL.latest_whole(date(2025, 3, 1)), FINANCIAL.latest_whole(date(2025, 2, 1))
        (2024, 2023)
        """
        year = self.year_of(month)
        return year if self.named(year).end <= month_of(month) else year - 1


#: January to December, named by its year.
CALENDAR = YearKind("calendar", 1, lambda start, end: str(start.year))
#: April to March, named by the year it starts in ("2023-24").
FINANCIAL = YearKind("financial", FINANCIAL_YEAR_FIRST_MONTH, _financial_label)
#: October to September, named by the year it ends in; labelled "year ending September 2024".
SV_DUTY = YearKind("sv_duty", SV_DUTY_FIRST_MONTH, _months_label, named_by_end=True)
#: Every kind of year, by key.
YEAR_KINDS = {kind.key: kind for kind in (CALENDAR, FINANCIAL, SV_DUTY)}


def calendar_year(year: int) -> Period:
    """January to December."""
    return CALENDAR.named(year)


def financial_year(text: str) -> Period:
    """April to March, written ``2023-24``.

    >>> financial_year("2023-24").to_json()
    {'from': '2023-04', 'to': '2024-03'}
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"not a financial year: {text!r} (use e.g. 2023-24)")
    return FINANCIAL.named(int(m.group(1)))


def sv_duty_year(year_ending_september: int) -> Period:
    """The Serious Violence Duty data window: October to September."""
    return SV_DUTY.named(year_ending_september)


def quarter(financial_year_start: int, number: int) -> Period:
    """Quarter NUMBER (1 to 4) of the financial year starting in April FINANCIAL_YEAR_START.

    >>> quarter(2024, 4).to_json()
    {'from': '2025-01', 'to': '2025-03'}
    """
    if number not in (1, 2, 3, 4):
        raise ValueError(f"not a quarter: {number!r} (use 1 to 4)")
    year = FINANCIAL.named(financial_year_start)
    start = add_months(year.start, 3 * (number - 1))
    return Period(start, add_months(start, 2), f"{year.label} Q{number}")


def quarter_of(day: date) -> Period:
    """The quarter of the financial year DAY falls in."""
    number = (day.month - FINANCIAL_YEAR_FIRST_MONTH) % 12 // 3 + 1
    return quarter(FINANCIAL.year_of(day), number)


def rolling_months(last_month: date, months: int = 12) -> Period:
    """The MONTHS whole months ending with LAST_MONTH's (12: a rolling year).

    >>> rolling_months(date(2024, 2, 29)).label
    'year ending February 2024'
    """
    if months < 1:
        raise ValueError(f"a rolling period needs at least one month, not {months}")
    end = month_of(last_month)
    start = add_months(end, 1 - months)
    return Period(start, end, _months_label(start, end))


def window(text: str) -> Period:
    """Explicit months ``YYYY-MM:YYYY-MM``, e.g. the Serious Violence Duty's October-September.

    >>> window("2022-10:2023-09").months
    12
    """
    try:
        first, last = text.split(":")
    except ValueError:
        raise ValueError(f"not a window: {text!r} (use YYYY-MM:YYYY-MM)") from None
    start, end = parse_month(first), parse_month(last)
    return Period(start, end, _months_label(start, end))


def _relabel(original: Period, moved: Period) -> str:
    if (
        original.label == str(original.start.year)
        and original.months == 12
        and original.start.month == 1
    ):
        return str(moved.start.year)
    if original.start.month == FINANCIAL_YEAR_FIRST_MONTH and original.months == 12:
        return _financial_label(moved.start, moved.end)
    if original == quarter_of(original.start):
        return quarter_of(moved.start).label
    return _months_label(moved.start, moved.end)
