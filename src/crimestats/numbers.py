"""Numbers for people, as ONS writes them: thousands separators everywhere a person reads a
number (tables, sentences, map keys, the CLI's table), never in a CSV or JSON, which carry the
plain number for the next program.

>>> shown(12345), shown(-1234.5), shown(0.0123), shown("<5"), shown(None), shown(True)
('12,345', '-1,234.5', '0.0123', '<5', '', 'True')
>>> shown("12345"), shown("[c]")
('12,345', '[c]')
>>> signed_pct(1234.56), signed_pct(-0.04), signed_pct(None)
('+1,234.6%', '0.0%', '')
>>> rate(1234.5), rate(None)
('1,234.50', '')
"""

from __future__ import annotations

import re

_WHOLE = re.compile(r"-?[0-9]+")


def shown(value: object) -> str:
    """VALUE for a person: a number (or a count already written as digits) with thousands
    separators, a mark such as "<5" or "[c]" as it is, and nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:,}"
    text = str(value)
    return f"{int(text):,}" if _WHOLE.fullmatch(text) else text


def signed_pct(pct: float | None) -> str:
    """A change for a table: "+1.9%", "-1,234.5%", "0.0%" when it rounds to nothing."""
    if pct is None:
        return ""
    if round(pct, 1) == 0:
        return "0.0%"  # never "-0.0%"
    return f"{pct:+,.1f}%"


def rate(value: float | None) -> str:
    """A rate per 1,000 residents to two places: "12.35", "1,234.50"."""
    return "" if value is None else f"{value:,.2f}"
