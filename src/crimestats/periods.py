"""Reporting periods: calendar years, financial years, Oct-Sep windows and explicit months."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: The first national lockdown began on 23 March 2020; baselines end before it.
LAST_PRE_PANDEMIC_MONTH = date(2020, 2, 1)


def add_months(month: date, n: int) -> date:
    """The first of the month ``n`` months after ``month`` (negative goes back).

    >>> add_months(date(2023, 11, 1), 3)
    datetime.date(2024, 2, 1)
    """
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


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
    """An inclusive run of whole months, with a label for people."""

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
        '2021-10 to 2022-09'
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


def calendar_year(year: int) -> Period:
    """January to December."""
    return Period(date(year, 1, 1), date(year, 12, 1), str(year))


def financial_year(text: str) -> Period:
    """April to March, written ``2023-24``.

    >>> financial_year("2023-24").to_json()
    {'from': '2023-04', 'to': '2024-03'}
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"not a financial year: {text!r} (use e.g. 2023-24)")
    start = int(m.group(1))
    return Period(date(start, 4, 1), date(start + 1, 3, 1), f"{start}-{(start + 1) % 100:02d}")


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
    return Period(start, end, f"{start:%Y-%m} to {end:%Y-%m}")


def sv_duty_year(year_ending_september: int) -> Period:
    """The Serious Violence Duty data window: October to September."""
    return window(f"{year_ending_september - 1}-10:{year_ending_september}-09")


def _relabel(original: Period, moved: Period) -> str:
    if (
        original.label == str(original.start.year)
        and original.months == 12
        and original.start.month == 1
    ):
        return str(moved.start.year)
    if original.start.month == 4 and original.months == 12:
        return f"{moved.start.year}-{(moved.start.year + 1) % 100:02d}"
    return f"{moved.start:%Y-%m} to {moved.end:%Y-%m}"
