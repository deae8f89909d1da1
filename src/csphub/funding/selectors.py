"""Reads of funding that depend on who is asking.

Everyone signed in sees the funders, rounds, grants and funded items (nothing here is
personal). The figures of a funded item at a quarter — spend to date, forecast, output
actuals — are seen by the CSP manager (`funding.manage_funding`), by the staff of the item's
own provider, and by everyone else once the grant's return for that quarter is published: so
one provider never sees another's figures before the funder does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from csphub.funding.choices import ReturnStatus
from csphub.funding.figures import Performance, QuarterMoney, Underspend, performance, underspend
from csphub.funding.models import (
    Allocation,
    FundedItem,
    Funder,
    Grant,
    Measure,
    MonitoringReturn,
    QuarterFigures,
)

MANAGE = "funding.manage_funding"
RECORD = "funding.record_figures"

# How many of an activity a measure counts, for a year: {quarter: number}. Registered by the
# community app (`register_activity_counter`), which sits above funding and links its records
# to funded items; funding imports nothing of it.
ActivityCounter = Callable[[Measure, int], dict[int, int]]
_counters: list[ActivityCounter] = []


# The activity linked to an item, as (date, kind, place, people) rows for its page: also from
# the community app.
LinkedActivity = Callable[[Any, FundedItem, int], list[tuple[Any, str, str, int]]]
_linked: list[LinkedActivity] = []


def register_linked_activity(lister: LinkedActivity) -> None:
    if lister not in _linked:
        _linked.append(lister)


def linked_activity(user: Any, item: FundedItem, year: int) -> list[tuple[Any, str, str, int]]:
    """What community activity counted towards ITEM in financial YEAR, newest first."""
    rows = [row for lister in _linked for row in lister(user, item, year)]
    return sorted(rows, key=lambda r: r[0], reverse=True)


# The VVRAP actions an item serves, as (action, plan, address) rows for its page: registered by
# the action plan app, which declares the link on its side; funding imports nothing of it.
ServedActions = Callable[[Any, FundedItem], list[tuple[str, str, str]]]
_served: list[ServedActions] = []


def register_served_actions(lister: ServedActions) -> None:
    if lister not in _served:
        _served.append(lister)


def served_actions(user: Any, item: FundedItem) -> list[tuple[str, str, str]]:
    """The plan actions ITEM serves that USER may read."""
    return [row for lister in _served for row in lister(user, item)]


def register_activity_counter(counter: ActivityCounter) -> None:
    """COUNTER gives a measure's actuals from the activity linked to its item."""
    if counter not in _counters:
        _counters.append(counter)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def may_manage(user: Any) -> bool:
    """The CSP manager: records funders, grants, items and profiles, and publishes returns."""
    return _signed_in(user) and bool(user.has_perm(MANAGE))


def is_provider_staff(user: Any, item: FundedItem) -> bool:
    """Whether USER works for ITEM's provider and may record its figures."""
    return (
        _signed_in(user)
        and user.agency_id is not None
        and user.agency_id == item.provider_id
        and bool(user.has_perm(RECORD))
    )


def may_record_figures(user: Any, item: FundedItem, year: int, quarter: int) -> bool:
    """The manager, at any time; the provider's staff until the quarter's return is published."""
    if may_manage(user):
        return True
    return is_provider_staff(user, item) and not is_published(item.grant_id, year, quarter)


def is_published(grant_id: Any, year: int, quarter: int) -> bool:
    return MonitoringReturn.objects.filter(
        grant_id=grant_id, year=year, quarter=quarter, status=ReturnStatus.PUBLISHED
    ).exists()


def may_see_figures(user: Any, item: FundedItem, year: int, quarter: int) -> bool:
    """Whether USER may see ITEM's figures as they stood at (YEAR, QUARTER)."""
    if not _signed_in(user):
        return False
    return (
        may_manage(user)
        or (user.agency_id is not None and user.agency_id == item.provider_id)
        or is_published(item.grant_id, year, quarter)
    )


def funders_visible_to(user: Any) -> QuerySet[Funder]:
    if not _signed_in(user):
        return Funder.objects.none()
    return Funder.objects.select_related("passes_on_from").prefetch_related("rounds")


def grants_visible_to(user: Any) -> QuerySet[Grant]:
    if not _signed_in(user):
        return Grant.objects.none()
    return Grant.objects.select_related("funder", "funding_round")


def items_visible_to(user: Any) -> QuerySet[FundedItem]:
    if not _signed_in(user):
        return FundedItem.objects.none()
    return FundedItem.objects.select_related("grant", "grant__funder", "provider")


def items_recordable_by(user: Any) -> QuerySet[FundedItem]:
    """The items USER may record figures for (their agency's, or all for the manager)."""
    if may_manage(user):
        return items_visible_to(user)
    if not _signed_in(user) or user.agency_id is None or not user.has_perm(RECORD):
        return FundedItem.objects.none()
    return items_visible_to(user).filter(provider_id=user.agency_id)


def measure_actuals(measure: Measure, year: int) -> dict[int, tuple[int, int | None]]:
    """{quarter: (profile, actual)} for MEASURE in YEAR; a measure that counts activity takes
    its actuals from the linked activity, in the quarters it has a profile or activity."""
    rows = {q.quarter: (q.profile, q.actual) for q in measure.quarters.all() if q.year == year}
    if measure.counts_activity:
        counted: dict[int, int] = {}
        for counter in _counters:
            for q, n in counter(measure, year).items():
                counted[q] = counted.get(q, 0) + n
        rows = {q: (rows.get(q, (0, None))[0], counted.get(q, 0)) for q in set(rows) | set(counted)}
    return rows


def quarter_money(item: FundedItem, years: list[int]) -> list[QuarterMoney]:
    return [
        QuarterMoney(q.year, q.quarter, q.budget, q.spend, q.forecast)
        for q in item.quarters.all()
        if q.year in years
    ]


def allocation_for(grant: Grant, year: int) -> Allocation | None:
    """The allocation covering financial YEAR, if the grant has one."""
    for allocation in grant.allocations.all():
        if year in allocation.financial_years:
            return allocation
    return None


@dataclass(frozen=True)
class ItemAtQuarter:
    """A funded item's figures at a quarter, or `shown=False` when the viewer may not see them."""

    item: FundedItem
    shown: bool
    budget_year: Decimal
    money: Underspend | None
    quarter: QuarterFigures | None
    measures: list[tuple[Measure, Performance]]


def item_at_quarter(user: Any, item: FundedItem, year: int, quarter: int) -> ItemAtQuarter:
    """ITEM at (YEAR, QUARTER): the year's budget, spend and forecast against it (the
    underspend rule applied to the item's own budget), and each measure's performance."""
    allocation = allocation_for(item.grant, year)
    years = allocation.financial_years if allocation else [year]
    rows = [q for q in item.quarters.all() if q.year in years]
    budget = sum((q.budget for q in rows), Decimal("0.00"))
    if not may_see_figures(user, item, year, quarter):
        return ItemAtQuarter(item, False, budget, None, None, [])
    money = underspend(budget, quarter_money(item, years), years=years, at=(year, quarter))
    this = next((q for q in rows if (q.year, q.quarter) == (year, quarter)), None)
    measures = [(m, performance(measure_actuals(m, year), quarter)) for m in item.measures.all()]
    return ItemAtQuarter(item, True, budget, money, this, measures)


@dataclass(frozen=True)
class GrantAtQuarter:
    grant: Grant
    allocation: Allocation | None
    items: list[ItemAtQuarter]
    money: Underspend | None  # None when some item's figures are hidden from the viewer
    published: bool


def grant_at_quarter(user: Any, grant: Grant, year: int, quarter: int) -> GrantAtQuarter:
    """GRANT at (YEAR, QUARTER): each item as the viewer may see it, and, when they may see
    them all, the allocation against every item's spend and forecast (the underspend flag)."""
    allocation = allocation_for(grant, year)
    items = [item_at_quarter(user, i, year, quarter) for i in grant.items.all()]
    money = None
    if allocation is not None and all(i.shown for i in items):
        quarters = [
            q for i in grant.items.all() for q in quarter_money(i, allocation.financial_years)
        ]
        money = underspend(
            allocation.amount, quarters, years=allocation.financial_years, at=(year, quarter)
        )
    return GrantAtQuarter(grant, allocation, items, money, is_published(grant.pk, year, quarter))


def may_download_return(user: Any, grant: Grant, year: int, quarter: int) -> bool:
    """The manager before publication (to check it); everyone signed in once it is published."""
    return may_manage(user) or (_signed_in(user) and is_published(grant.pk, year, quarter))


def dashboard_summary(user: Any) -> list[tuple[str, str]]:
    if not _signed_in(user):
        return []
    grants = Grant.objects.count()
    if not grants:
        return []
    mine = items_recordable_by(user).count() if not may_manage(user) else 0
    rows = [("Grants", str(grants)), ("Funded posts and projects", str(FundedItem.objects.count()))]
    if mine:
        rows.append(("Your agency's items", str(mine)))
    return rows


def condition_rule(user: Any, reading: bool) -> Q:
    """The funding branch of the access rule for actions (registered with meetings): the CSP
    manager opens and moves on every grant's conditions (READING or not); an owner has their
    own already."""
    return Q(grant__isnull=False) if may_manage(user) else Q(pk__in=[])
