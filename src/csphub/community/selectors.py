"""Reads of community activity: every signed-in user sees it (counts at community places,
nothing personal); the CSP manager and the delivering agency's own staff change it.

The counts for reports and returns are here too: by quarter, place, ward, theme and funder.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet, Sum

from csphub.community.models import Activity
from csphub.funding.models import FundedItem, Measure
from csphub.funding.selectors import may_manage
from csphub.lib.periods import FINANCIAL, quarter_of

RECORD = "community.record_activity"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    if not _signed_in(user):
        return Activity.objects.none()
    return Activity.objects.select_related(
        "place", "delivered_by", "funded_item", "funded_item__grant__funder"
    )


def may_record_for(user: Any, agency_id: Any, funded_item: FundedItem | None) -> bool:
    """The manager for any agency; an agency's staff for their own agency's activity, linked
    only to their own agency's funded items."""
    if may_manage(user):
        return True
    return bool(
        _signed_in(user)
        and user.has_perm(RECORD)
        and user.agency_id is not None
        and user.agency_id == agency_id
        and (funded_item is None or funded_item.provider_id == user.agency_id)
    )


def may_change(user: Any, activity: Activity) -> bool:
    return may_record_for(user, activity.delivered_by_id, activity.funded_item)


def activity_for_measure(measure: Measure, year: int) -> dict[int, int]:
    """Registered with funding: {quarter: n} of MEASURE's item's linked activity of its kind in
    financial YEAR — sessions, or people reached."""
    period = FINANCIAL.named(year)
    rows = Activity.objects.filter(
        funded_item_id=measure.item_id,
        kind=measure.counts_activity,
        held_on__gte=period.first_day,
        held_on__lte=period.last_day,
    ).values_list("held_on", "people_reached")
    counted: Counter[int] = Counter()
    for held_on, reached in rows:
        q = int(quarter_of(held_on).label[-1])
        counted[q] += reached if measure.counts == "people" else 1
    return dict(counted)


def _key(a: Activity, by: str) -> str:
    if by == "quarter":
        return quarter_of(a.held_on).label
    if by == "ward":
        return a.place.ward or "Ward not known"
    if by == "place":
        return a.place.name
    if by == "theme":
        return a.get_theme_display()
    if by == "kind":
        return a.get_kind_display()
    return a.funded_item.grant.funder.name if a.funded_item else "Not funded"


def counts(user: Any, year: int, by: str) -> list[dict[str, Any]]:
    """Sessions and people reached in financial YEAR, by 'quarter', 'ward', 'place', 'theme',
    'kind' or 'funder', as rows {key, sessions, people} sorted by key."""
    period = FINANCIAL.named(year)
    rows = activities_visible_to(user).filter(
        held_on__gte=period.first_day, held_on__lte=period.last_day
    )
    table: dict[str, list[int]] = {}
    for a in rows:
        key = _key(a, by)
        entry = table.setdefault(key, [0, 0])
        entry[0] += 1
        entry[1] += a.people_reached
    return [{"key": k, "sessions": s, "people": p} for k, (s, p) in sorted(table.items())]


def training_by_agency(user: Any, year: int) -> list[tuple[str, int]]:
    """Professional training attendees in financial YEAR, by agency (the NRM app reads this)."""
    period = FINANCIAL.named(year)
    rows = (
        activities_visible_to(user)
        .filter(kind="training", held_on__gte=period.first_day, held_on__lte=period.last_day)
        .values("attendance__agency__name")
        .annotate(n=Sum("attendance__attendees"))
        .order_by("attendance__agency__name")
    )
    return [(r["attendance__agency__name"], r["n"]) for r in rows if r["attendance__agency__name"]]


def training_sessions(user: Any, start: Any, end: Any) -> QuerySet[Activity]:
    """Professional training from START to END (dates), with its attendance by agency: the
    monthly child exploitation workshop is recorded once, here, and counted by the NRM
    figures too (docs/community.md)."""
    return (
        activities_visible_to(user)
        .filter(kind="training", held_on__gte=start, held_on__lte=end)
        .prefetch_related("attendance__agency")
        .order_by("held_on")
    )


def activity_of_item(user: Any, item: FundedItem, year: int) -> list[tuple[Any, str, str, int]]:
    """Registered with funding: (date, kind, place, people) of ITEM's linked activity in YEAR."""
    period = FINANCIAL.named(year)
    rows = activities_visible_to(user).filter(
        funded_item=item, held_on__gte=period.first_day, held_on__lte=period.last_day
    )
    return [(a.held_on, a.get_kind_display(), a.place.name, a.people_reached) for a in rows]
