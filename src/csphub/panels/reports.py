"""Aggregate figures for panel dashboards and offending before/after referral.

Every figure a dashboard shows goes through crimestats.suppression (the one suppression
function), so small numbers never identify a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from crimestats.suppression import suppress, suppress_value
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

BEFORE_AFTER_DAYS = 365


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
    table = suppress([[n] for _, n in pairs], row_totals=False)
    rows = [(label, table.display(i, 0)) for i, (label, _) in enumerate(pairs)]
    total = table.col_totals[0]
    return Figure(title, rows, "[c]" if total is None else str(total))


def _labelled(counter: dict[str, int], choices: Any) -> list[tuple[str, int]]:
    return [(choices(k).label if k in choices.values else k, n) for k, n in sorted(counter.items())]


def overdue_actions(panel: Panel) -> int | None:
    """Open actions past their due date from the panel's meetings (None without meetings)."""
    from django.apps import apps

    if not apps.is_installed("csphub.meetings"):
        return None
    from csphub.meetings.models import Action

    return (
        # The panel's meetings' actions and its cases' own (as meetings.selectors.actions_of_panels).
        Action.objects.filter(
            Q(meeting__panel=panel) | Q(meeting__isnull=True, case__panel=panel),
            due_on__lt=timezone.localdate(),
        )
        .exclude(status__in=["done", "cancelled"])
        .count()
    )


def first_discussion_days(panel: Panel) -> list[int]:
    """Days from referral to the first meeting of this panel that had the case on its agenda."""
    from django.apps import apps

    if not apps.is_installed("csphub.meetings"):
        return []
    from csphub.meetings.models import AgendaItem

    firsts = (
        AgendaItem.objects.filter(
            meeting__panel=panel, case__panel=panel, meeting__scheduled_for__lte=timezone.now()
        )
        .values("case_id", "case__referred_at")
        .annotate(first=Min("meeting__scheduled_for"))
    )
    return [
        (timezone.localdate(row["first"]) - timezone.localdate(row["case__referred_at"])).days
        for row in firsts
    ]


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
        "overdue_actions_shown": overdue is not None and not suppress_value(overdue),
        "offending": cohort_offending(panel),
    }


@dataclass
class BeforeAfter:
    """Offences in the year before and the year after a referral date, counted and weighted."""

    before_count: int
    after_count: int
    before_harm: float
    after_harm: float


def before_after(
    offences: Iterable[Offence], pivot: date, days: int = BEFORE_AFTER_DAYS
) -> BeforeAfter:
    result = BeforeAfter(0, 0, 0.0, 0.0)
    for o in offences:
        if pivot - timedelta(days=days) <= o.offence_date < pivot:
            result.before_count += 1
            result.before_harm += o.harm_weight or 0.0
        elif pivot <= o.offence_date < pivot + timedelta(days=days):
            result.after_count += 1
            result.after_harm += o.harm_weight or 0.0
    return result


def person_offending(person_id: Any, pivot: date) -> BeforeAfter:
    """A person's offending around PIVOT (their referral date)."""
    return before_after(Offence.objects.filter(person_id=person_id), pivot)


def cohort_offending(panel: Panel) -> dict[str, Any]:
    """The panel's referred people's offending, a year either side of each one's referral."""
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
    for person_id, pivot in pivots.items():
        ba = before_after(by_person.get(person_id, []), pivot)
        total.before_count += ba.before_count
        total.after_count += ba.after_count
        total.before_harm += ba.before_harm
        total.after_harm += ba.after_harm
    table = suppress([[total.before_count, total.after_count]], col_totals=False, row_totals=False)
    hidden = [table.cells[0][0] is None, table.cells[0][1] is None]
    return {
        "people": len(pivots),
        "people_shown": not suppress_value(len(pivots)),
        "before": table.display(0, 0),
        "after": table.display(0, 1),
        # Harm is shown only beside a count that is itself shown.
        "before_harm": "[c]" if hidden[0] else f"{total.before_harm:,.0f}",
        "after_harm": "[c]" if hidden[1] else f"{total.after_harm:,.0f}",
    }
