"""The case review threshold as a pure function of the complaints, so it can be tested alone.

The default is the one most partnerships publish: three complaints about the same problem in
the six months before the application, each reported within one month of the incident. Each
number is part of the partnership's policy (`CaseReviewPolicy`), not of this code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from csphub.lib.periods import add_months


class ComplaintLike(Protocol):
    problem: str
    incident_on: date
    reported_on: date


def problem_key(problem: str) -> str:
    """Complaints are about "the same problem" when their labels match, ignoring case and spacing."""
    return " ".join(problem.lower().split())


@dataclass(frozen=True)
class ThresholdResult:
    """What the rule says, with the workings a co-ordinator needs to explain it to an applicant."""

    met: bool
    required: int
    counted: int  # qualifying complaints about the problem with the most of them
    problem: str | None
    window_start: date
    window_end: date
    outside_window: int
    reported_late: int


def assess(
    complaints: Iterable[ComplaintLike],
    *,
    received_on: date,
    complaints_required: int = 3,
    window_months: int = 6,
    report_within_months: int = 1,
) -> ThresholdResult:
    """Apply the threshold to COMPLAINTS for an application received on RECEIVED_ON.

    A complaint qualifies when it was reported in the window (the WINDOW_MONTHS before the
    application, up to its date) and no later than REPORT_WITHIN_MONTHS after the incident.
    """
    window_start = add_months(received_on, -window_months)
    per_problem: Counter[str] = Counter()
    labels: dict[str, str] = {}
    outside = late = 0
    for c in complaints:
        if not window_start <= c.reported_on <= received_on:
            outside += 1
        elif c.reported_on < c.incident_on or c.reported_on > add_months(
            c.incident_on, report_within_months
        ):
            late += 1
        else:
            key = problem_key(c.problem)
            per_problem[key] += 1
            labels.setdefault(key, c.problem.strip())
    top = per_problem.most_common(1)
    problem, counted = (labels[top[0][0]], top[0][1]) if top else (None, 0)
    return ThresholdResult(
        met=counted >= complaints_required,
        required=complaints_required,
        counted=counted,
        problem=problem,
        window_start=window_start,
        window_end=received_on,
        outside_window=outside,
        reported_late=late,
    )
