"""Aggregate figures for panel dashboards and offending before/after referral.

Every figure a dashboard shows goes through csphub.lib.suppression (the one suppression
function), so small numbers never identify a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Count
from django.utils import timezone

from csphub.lib.dates import add_days
from csphub.lib.disclosure import Output, Source, threshold_for
from csphub.lib.periods import add_months
from csphub.lib.suppression import suppress, suppress_value
from csphub.panels.choices import (
    OPEN_STATUSES,
    CaseStatus,
    ClosureOutcome,
    ReferralReason,
    RiskLevel,
    TransitionKind,
)
from csphub.panels.models import Case, CaseSubject, Offence, Panel, Transition
from csphub.people.geography import APPROXIMATE_NOTE, ward_for_lsoa

#: Panel figures are made from casework about identifiable people: always suppressed.
CASEWORK_THRESHOLD = threshold_for(Source.CASEWORK, Output.PUBLICATION)
#: The period either side of a referral its offending is compared over.
BEFORE_AFTER_MONTHS = 12


@dataclass
class Figure:
    """A one-column table of counts, suppressed, ready to print."""

    title: str
    rows: list[tuple[str, str]]
    total: str


def _figure(title: str, counts: Iterable[tuple[str, int]]) -> Figure:
    pairs = [(label, n) for label, n in counts]
    if not pairs:
        return Figure(title, [], "0")
    table = suppress([[n] for _, n in pairs], CASEWORK_THRESHOLD, row_totals=False)
    rows = [(label, table.display(i, 0)) for i, (label, _) in enumerate(pairs)]
    total = table.col_totals[0]
    return Figure(title, rows, "[c]" if total is None else str(total))


def _labelled(counter: dict[str, int], choices: Any) -> list[tuple[str, int]]:
    return [(choices(k).label if k in choices.values else k, n) for k, n in sorted(counter.items())]


@dataclass(frozen=True)
class MeetingFigures:
    """What the app keeping a panel's meetings adds to its dashboard: how many of the actions
    from its meetings are open past their due date, and the days from each case's referral to
    the first of its meetings with the case on the agenda."""

    overdue_actions: Callable[[Panel], int]
    first_discussion_days: Callable[[Panel], list[int]]


_meeting_figures: list[MeetingFigures] = []


def register_meeting_figures(figures: MeetingFigures) -> None:
    """Called from meetings' AppConfig.ready(): meetings builds on panels, so panels imports
    nothing of it (docs/adr/0010-import-layers.md)."""
    _meeting_figures[:] = [figures]


def overdue_actions(panel: Panel) -> int | None:
    """Open actions past their due date from the panel's meetings (None without meetings)."""
    return _meeting_figures[0].overdue_actions(panel) if _meeting_figures else None


def first_discussion_days(panel: Panel) -> list[int]:
    """Days from referral to the first meeting of this panel that had the case on its agenda."""
    return _meeting_figures[0].first_discussion_days(panel) if _meeting_figures else []


def _ward_or_lsoa(lsoa_code: str, ward_name: str) -> str:
    """A place's ward from its LSOA (best fit), else the ward recorded, else its LSOA."""
    ward = ward_for_lsoa(lsoa_code)
    return (ward.name if ward else ward_name) or lsoa_code or "Unknown"


def panel_dashboard(panel: Panel) -> dict[str, Any]:
    """Every aggregate on a panel's dashboard, suppressed."""
    referrals = Transition.objects.filter(to_panel=panel).exclude(kind=TransitionKind.TRANSFER)
    by_source = Counter(
        r["from_agency__name"] or r["from_panel__name"] or "Not recorded"
        for r in referrals.values("from_agency__name", "from_panel__name")
    )
    by_reason = Counter(referrals.values_list("reason_category", flat=True))
    cases = Case.objects.filter(panel=panel)
    open_by_risk = dict(
        cases.filter(status__in=OPEN_STATUSES).values_list("risk_level").annotate(n=Count("pk"))
    )
    outcomes = dict(
        cases.filter(status=CaseStatus.CLOSED)
        .values_list("closure_outcome")
        .annotate(n=Count("pk"))
    )
    by_location = Counter(
        _ward_or_lsoa(lsoa, ward)
        for lsoa, ward in CaseSubject.objects.filter(
            case__panel=panel, place__isnull=False
        ).values_list("place__lsoa_code", "place__ward_name")
    )
    days = first_discussion_days(panel)
    overdue = overdue_actions(panel)
    return {
        "figures": [
            _figure("Referrals by source", sorted(by_source.items())),
            _figure("Referrals by reason", _labelled(by_reason, ReferralReason)),
            _figure(
                "Open cases by risk",
                [(RiskLevel(k).label, open_by_risk.get(k, 0)) for k in RiskLevel.values],
            ),
            _figure("Outcomes at closure", _labelled(outcomes, ClosureOutcome)),
            _figure(
                f"Places of concern by ward ({APPROXIMATE_NOTE}) or LSOA",
                sorted(by_location.items()),
            ),
        ],
        "first_discussion_median": median(days) if len(days) >= 5 else None,
        "first_discussion_cases": len(days),
        "overdue_actions": overdue,
        "overdue_actions_shown": overdue is not None
        and not suppress_value(overdue, CASEWORK_THRESHOLD),
        "offending": cohort_offending(panel),
    }


@dataclass
class BeforeAfter:
    """Offences in the 12 months before and the 12 months after a referral date, counted and
    weighted. The "after" figures mean something only once those 12 months have passed
    (AFTER_COMPLETE); until then a page says when they end (AFTER_ENDS) instead of showing a
    part-year count that reads as offending having stopped."""

    before_count: int
    after_count: int
    before_harm: float
    after_harm: float
    after_ends: date | None = None
    after_complete: bool = True


def months_before(pivot: date, months: int = BEFORE_AFTER_MONTHS) -> date:
    """The first day of the MONTHS months before PIVOT (PIVOT itself is in the period after).

    The day before PIVOT is stepped back and the next day taken, so the period before 29
    February 2024 is 1 March 2023 to 28 February 2024, not a day longer.

    >>> months_before(date(2025, 12, 3)), months_before(date(2024, 2, 29))
    (datetime.date(2024, 12, 3), datetime.date(2023, 3, 1))
    """
    return add_days(add_months(add_days(pivot, -1), -months), 1)


def months_after_end(pivot: date, months: int = BEFORE_AFTER_MONTHS) -> date:
    """The last day of the MONTHS months starting on PIVOT.

    >>> months_after_end(date(2025, 12, 3)), months_after_end(date(2024, 2, 29))
    (datetime.date(2026, 12, 2), datetime.date(2025, 2, 28))
    """
    return add_months(add_days(pivot, -1), months)


def before_after(
    offences: Iterable[Offence],
    pivot: date,
    months: int = BEFORE_AFTER_MONTHS,
    *,
    today: date | None = None,
) -> BeforeAfter:
    """Offences in the MONTHS months before PIVOT and the MONTHS months from it. The "after"
    period is complete only once its last day is over (on TODAY, default the local date);
    until then its count is kept but AFTER_COMPLETE is False."""
    today = today or timezone.localdate()
    start, last = months_before(pivot, months), months_after_end(pivot, months)
    result = BeforeAfter(0, 0, 0.0, 0.0, after_ends=last, after_complete=today > last)
    for o in offences:
        if start <= o.offence_date < pivot:
            result.before_count += 1
            result.before_harm += o.harm_weight or 0.0
        elif pivot <= o.offence_date <= last:
            result.after_count += 1
            result.after_harm += o.harm_weight or 0.0
    return result


def person_offending(person_id: Any, pivot: date, *, today: date | None = None) -> BeforeAfter:
    """A person's offending around PIVOT (their referral date)."""
    return before_after(Offence.objects.filter(person_id=person_id), pivot, today=today)


def cohort_offending(panel: Panel, *, today: date | None = None) -> dict[str, Any]:
    """The panel's referred people's offending, 12 months either side of each one's first
    referral to it, counting only the people whose 12 months after referral are over: a
    before figure beside a part-year after figure would read as offending having stopped.
    How many are not yet counted is given (suppressed), but not when their periods end: on an
    aggregate page that would date a small number of referrals."""
    today = today or timezone.localdate()
    pivots: dict[Any, date] = {}
    for person_id, referred_at in CaseSubject.objects.filter(
        case__panel=panel, person__isnull=False
    ).values_list("person_id", "case__referred_at"):
        day = timezone.localdate(referred_at)
        pivots[person_id] = min(day, pivots.get(person_id, day))
    by_person: dict[Any, list[Offence]] = {}
    for offence in Offence.objects.filter(person_id__in=pivots):
        by_person.setdefault(offence.person_id, []).append(offence)
    total = BeforeAfter(0, 0, 0.0, 0.0)
    counted = 0
    pending = 0
    for person_id, pivot in pivots.items():
        ba = before_after(by_person.get(person_id, []), pivot, today=today)
        if not ba.after_complete:
            pending += 1
            continue
        counted += 1
        total.before_count += ba.before_count
        total.after_count += ba.after_count
        total.before_harm += ba.before_harm
        total.after_harm += ba.after_harm
    table = suppress(
        [[total.before_count, total.after_count]],
        CASEWORK_THRESHOLD,
        col_totals=False,
        row_totals=False,
    )
    hidden = [table.cells[0][0] is None, table.cells[0][1] is None]
    return {
        "people": counted,
        "people_shown": not suppress_value(counted, CASEWORK_THRESHOLD),
        "pending": pending,
        "pending_shown": not suppress_value(pending, CASEWORK_THRESHOLD),
        "before": table.display(0, 0),
        "after": table.display(0, 1),
        # Harm is shown only beside a count that is itself shown.
        "before_harm": "[c]" if hidden[0] else f"{total.before_harm:,.0f}",
        "after_harm": "[c]" if hidden[1] else f"{total.after_harm:,.0f}",
    }
