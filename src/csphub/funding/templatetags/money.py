"""Pounds and pence as people read them: £40,000.00."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value: Decimal | None) -> str:
    """VALUE in pounds with thousands separated and two places; '' for nothing.

    >>> pounds(Decimal("40000")), pounds(Decimal("-699.67")), pounds(None)
    ('£40,000.00', '-£699.67', '')
    """
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
