"""Reporting periods for the apps: calendar and financial years, quarters, the Serious
Violence Duty's October-September year and rolling months.

There is one implementation, ``crimestats.periods``: crimestats imports nothing from csphub,
so the module both use lives there, framework-free, and the apps import it by this name
(docs/adr/0009-one-periods-module.md). Nothing is defined here.

>>> from datetime import date
>>> FINANCIAL.containing(date(2025, 4, 1)).label
'2025-26'
"""

from __future__ import annotations

from crimestats.periods import (
    CALENDAR,
    FINANCIAL,
    FINANCIAL_YEAR_FIRST_MONTH,
    SV_DUTY,
    SV_DUTY_FIRST_MONTH,
    YEAR_KINDS,
    Period,
    YearKind,
    add_months,
    calendar_year,
    financial_year,
    month_of,
    parse_month,
    quarter,
    quarter_of,
    rolling_months,
    sv_duty_year,
    window,
)

__all__ = [
    "CALENDAR",
    "FINANCIAL",
    "FINANCIAL_YEAR_FIRST_MONTH",
    "SV_DUTY",
    "SV_DUTY_FIRST_MONTH",
    "YEAR_KINDS",
    "Period",
    "YearKind",
    "add_months",
    "calendar_year",
    "financial_year",
    "month_of",
    "parse_month",
    "quarter",
    "quarter_of",
    "rolling_months",
    "sv_duty_year",
    "window",
]
