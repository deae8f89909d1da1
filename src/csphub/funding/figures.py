"""The arithmetic of funding, framework-free: performance against profile, RAG, direction of
travel, and the underspend-at-risk rule. Inputs are plain numbers, so the rules are tested
at their edges without a database.

Performance is year to date: the actuals of the financial year's quarters up to the one asked
about, against their profile. RAG: green at or above 90% of profile, amber from 70% up to 90%,
red below 70%; no profile, no RAG. Direction of travel compares the year-to-date percentage
with the previous quarter's (a first quarter has none).

Underspend: money unspent at the end of an allocation (one financial year, or two) cannot be
carried over. From quarter 3 of the allocation's last year, spend to date plus the forecast of
the quarters still to come (a quarter with no forecast is expected to spend its budget) is set
against the allocation; any shortfall is at risk.

>>> percent(45, 50), rag(percent(45, 50)), rag(percent(44, 50))
(Decimal('90.0'), 'green', 'amber')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GREEN_FROM = Decimal("90")
AMBER_FROM = Decimal("70")
#: The first quarter of an allocation's last year in which an underspend is flagged.
UNDERSPEND_FROM_QUARTER = 3
ZERO = Decimal("0.00")


def percent(actual: int | None, profile: int) -> Decimal | None:
    """ACTUAL as a percentage of PROFILE, to one place; None without a profile.

    >>> percent(1, 3), percent(0, 0), percent(None, 4)
    (Decimal('33.3'), None, Decimal('0.0'))
    """
    if profile <= 0:
        return None
    value = Decimal(actual or 0) * 100 / Decimal(profile)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rag(pct: Decimal | None) -> str:
    """Green, amber or red for a percentage against profile ('none' without a profile)."""
    if pct is None:
        return "none"
    if pct >= GREEN_FROM:
        return "green"
    if pct >= AMBER_FROM:
        return "amber"
    return "red"


def direction(now: Decimal | None, before: Decimal | None) -> str:
    """'up', 'down' or 'same' from the previous quarter's percentage; 'new' without one."""
    if now is None or before is None:
        return "new"
    if now > before:
        return "up"
    if now < before:
        return "down"
    return "same"


@dataclass(frozen=True)
class Performance:
    """A measure's figures at one quarter of a financial year."""

    profile: int  # this quarter
    actual: int | None  # this quarter
    profile_to_date: int
    actual_to_date: int
    percent: Decimal | None  # year to date
    rag: str
    direction: str


def performance(by_quarter: dict[int, tuple[int, int | None]], at: int) -> Performance:
    """A measure's performance at quarter AT (1-4) of a year, from {quarter: (profile, actual)}."""

    def to_date(last: int) -> tuple[int, int, Decimal | None]:
        profile = sum(by_quarter.get(q, (0, None))[0] for q in range(1, last + 1))
        actual = sum(by_quarter.get(q, (0, None))[1] or 0 for q in range(1, last + 1))
        return profile, actual, percent(actual, profile)

    profile, actual = by_quarter.get(at, (0, None))
    p_to_date, a_to_date, pct = to_date(at)
    before = to_date(at - 1)[2] if at > 1 else None
    return Performance(
        profile=profile,
        actual=actual,
        profile_to_date=p_to_date,
        actual_to_date=a_to_date,
        percent=pct,
        rag=rag(pct),
        direction=direction(pct, before),
    )


@dataclass(frozen=True)
class QuarterMoney:
    """One quarter's money: (financial year, quarter), its budget, spend and forecast."""

    year: int
    quarter: int
    budget: Decimal
    spend: Decimal | None
    forecast: Decimal | None

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.quarter)


@dataclass(frozen=True)
class Underspend:
    """Where an allocation stands at a quarter: spent, forecast, the shortfall, and the flag."""

    allocation: Decimal
    spent: Decimal
    forecast: Decimal
    shortfall: Decimal  # allocation less spend and forecast; negative is an overspend
    checked: bool  # whether the rule applies yet (quarter 3 of the last year onwards)

    @property
    def at_risk(self) -> bool:
        return self.checked and self.shortfall > 0


def underspend(
    allocation: Decimal,
    quarters: Iterable[QuarterMoney],
    *,
    years: list[int],
    at: tuple[int, int],
) -> Underspend:
    """ALLOCATION for the financial YEARS (one or two, in order) as it stands at quarter AT
    (year, quarter): the quarters up to AT count their spend, those after it their forecast
    (or budget); quarters outside YEARS do not count at all — no carry-over."""
    spent = forecast = ZERO
    for q in quarters:
        if q.year not in years:
            continue
        if q.key <= at:
            spent += q.spend or ZERO
        else:
            forecast += q.forecast if q.forecast is not None else q.budget
    checked = at[0] == years[-1] and at[1] >= UNDERSPEND_FROM_QUARTER
    return Underspend(
        allocation=allocation,
        spent=spent,
        forecast=forecast,
        shortfall=allocation - spent - forecast,
        checked=checked,
    )
