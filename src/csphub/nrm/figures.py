"""Decision time, the pilot's headline measure: days from referral received to the RG, the CG
and the final decision, with the mean and the median (outliers dominate a mean), the
distribution and the figures by quarter.

Definitions (printed beside every figure):

- days to RG: calendar days from the referral being received to the latest Reasonable Grounds
  decision (a reconsideration's replaces the first);
- days to CG: the same, to the Conclusive Grounds decision;
- days to the final decision: to the CG, or to a negative RG where no CG follows.

A case counts in a quarter by the date of the decision measured (financial-year quarters).

>>> summarise([10, 20, 90]).mean, summarise([10, 20, 90]).median
(40.0, 20.0)
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from csphub.lib.periods import quarter_of

DEFINITIONS = {
    "rg": "Calendar days from the referral being received to the Reasonable Grounds decision.",
    "cg": "Calendar days from the referral being received to the Conclusive Grounds decision.",
    "final": (
        "Calendar days from the referral being received to the final decision: the Conclusive "
        "Grounds decision, or a negative Reasonable Grounds decision where no CG follows."
    ),
}
LABELS = {"rg": "Days to RG", "cg": "Days to CG", "final": "Days to the final decision"}
#: The distribution's bands, in days (the last is open).
BANDS = ((0, 30), (31, 45), (46, 60), (61, 90), (91, 180), (181, None))


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None
    median: float | None
    shortest: int | None
    longest: int | None


def summarise(days: Sequence[int]) -> Summary:
    if not days:
        return Summary(0, None, None, None, None)
    return Summary(
        len(days),
        round(statistics.fmean(days), 1),
        float(statistics.median(days)),
        min(days),
        max(days),
    )


@dataclass(frozen=True)
class CaseTimes:
    """One referral's decision dates."""

    received_on: date
    rg_on: date | None
    cg_on: date | None
    final_on: date | None

    def days(self, measure: str) -> int | None:
        end = {"rg": self.rg_on, "cg": self.cg_on, "final": self.final_on}[measure]
        return None if end is None else (end - self.received_on).days

    def ended(self, measure: str) -> date | None:
        return {"rg": self.rg_on, "cg": self.cg_on, "final": self.final_on}[measure]


def distribution(days: Iterable[int]) -> list[tuple[str, int]]:
    """How many cases fall in each band of BANDS."""
    values = list(days)
    out = []
    for low, high in BANDS:
        label = f"{low} to {high} days" if high is not None else f"{low} days or more"
        out.append((label, sum(1 for d in values if d >= low and (high is None or d <= high))))
    return out


def quarter_label(day: date) -> str:
    q = quarter_of(day)
    return q.label


def by_quarter(cases: Iterable[CaseTimes], measure: str) -> list[tuple[str, Summary]]:
    """The measure's summary for each quarter in which some case's decision fell."""
    grouped: dict[tuple[date, str], list[int]] = {}
    for case in cases:
        ended, days = case.ended(measure), case.days(measure)
        if ended is None or days is None:
            continue
        q = quarter_of(ended)
        grouped.setdefault((q.start, q.label), []).append(days)
    return [(label, summarise(v)) for (_, label), v in sorted(grouped.items())]


def measure_summary(cases: Iterable[CaseTimes], measure: str) -> Summary:
    return summarise([d for c in cases if (d := c.days(measure)) is not None])
