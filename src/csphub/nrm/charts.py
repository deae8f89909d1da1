"""Decision-time charts as SVG drawn on the server, so the page and the PDF show the same one
and neither needs JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, BAR_HEIGHT, GAP, LEFT, RIGHT = 640, 22, 10, 230, 70


@dataclass(frozen=True)
class Bar:
    label: str
    days: float
    ours: bool  # the partnership's own figure (drawn dark), or a comparator


def bar_chart(bars: Sequence[Bar], *, title: str) -> str:
    """A horizontal bar chart of average days, one bar per figure, with the value at its end.

    >>> svg = bar_chart([Bar("Bexley", 53, True), Bar("SCA", 344, False)], title="Days")
    >>> svg.count("<rect"), "344 days" in svg
    (2, True)
    """
    top = 30
    height = top + len(bars) * (BAR_HEIGHT + GAP) + 10
    longest = max([float(b.days) for b in bars] + [1.0])
    scale = (WIDTH - LEFT - RIGHT) / longest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="nrm-chart-title">',
        f'<title id="nrm-chart-title">{escape(title)}</title>',
        f'<text x="0" y="18" font-family="Arial, sans-serif" font-size="14" '
        f'font-weight="bold" fill="#0b0c0c">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * (BAR_HEIGHT + GAP)
        w = max(float(bar.days) * scale, 1.0)
        colour = "#1d70b8" if bar.ours else "#505a5f"
        days = _days(bar.days)
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 16}" text-anchor="end" font-family="Arial, sans-serif" '
            f'font-size="13" fill="#0b0c0c">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect x="{LEFT}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{LEFT + w + 6:.1f}" y="{y + 16}" font-family="Arial, sans-serif" '
            f'font-size="13" fill="#0b0c0c">{days} days</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _days(value: float | Decimal) -> str:
    number = float(value)
    return f"{number:.0f}" if number == int(number) else f"{number:.1f}"
