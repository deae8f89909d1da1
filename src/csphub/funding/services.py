"""Every write to funding: keyword-only, atomic, checked against the acting user's rule
(`csphub.funding.selectors`), and audited (ids and amounts, never anything personal)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.audit import record
from csphub.core.errors import ServiceError
from csphub.funding import verbs
from csphub.funding.choices import ReturnStatus
from csphub.funding.models import (
    Allocation,
    FundedItem,
    Funder,
    FundingRound,
    Grant,
    Measure,
    MeasureQuarter,
    MonitoringReturn,
    QuarterFigures,
    ReportingDate,
)
from csphub.funding.selectors import may_download_return, may_manage, may_record_figures
from csphub.meetings.models import Action

if TYPE_CHECKING:
    from csphub.accounts.models import User

PENNY = Decimal("0.01")


def _managing(actor: Any) -> None:
    if not may_manage(actor):
        raise PermissionDenied("Only the CSP manager records funding")


def _pounds(value: Decimal | None, field: str) -> Decimal | None:
    """VALUE as exact pounds and pence: more than two places is refused, not rounded."""
    if value is None:
        return None
    value = Decimal(value)
    if value < 0:
        raise ServiceError({field: "Enter an amount of £0 or more"})
    if value != value.quantize(PENNY):
        raise ServiceError({field: "Enter pounds and pence, like 1250.50"})
    return value.quantize(PENNY)


def _quarter(year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ServiceError({"quarter": "Choose a quarter 1 to 4 of a financial year"})


def do_create_funder(
    *,
    actor: User,
    name: str,
    kind: str,
    org_identifier: str = "",
    passes_on_from: Funder | None = None,
    request: HttpRequest | None = None,
) -> Funder:
    """A funder; PASSES_ON_FROM is the funder its money comes from (the chain)."""
    _managing(actor)
    with transaction.atomic():
        funder = Funder.objects.create(
            name=name.strip(),
            kind=kind,
            org_identifier=org_identifier,
            passes_on_from=passes_on_from,
        )
        record(verb=verbs.FUNDER_RECORDED, actor=actor, target=funder, request=request)
    return funder


def do_create_round(
    *,
    actor: User,
    funder: Funder,
    name: str,
    first_year: int,
    last_year: int,
    request: HttpRequest | None = None,
) -> FundingRound:
    """A funding round spanning financial years FIRST_YEAR to LAST_YEAR (LCPF 2022-25)."""
    _managing(actor)
    if last_year < first_year:
        raise ServiceError({"last_year": "The last year cannot come before the first"})
    with transaction.atomic():
        funding_round = FundingRound.objects.create(
            funder=funder, name=name.strip(), first_year=first_year, last_year=last_year
        )
        record(verb=verbs.ROUND_RECORDED, actor=actor, target=funding_round, request=request)
    return funding_round


def do_create_grant(
    *,
    actor: User,
    funder: Funder,
    title: str,
    amount: Decimal,
    starts_on: date,
    ends_on: date,
    funding_round: FundingRound | None = None,
    splits_labour: bool = False,
    description: str = "",
    awarded_on: date | None = None,
    request: HttpRequest | None = None,
) -> Grant:
    _managing(actor)
    if ends_on < starts_on:
        raise ServiceError({"ends_on": "The grant cannot end before it starts"})
    with transaction.atomic():
        grant = Grant.objects.create(
            funder=funder,
            funding_round=funding_round,
            title=title.strip(),
            amount=_pounds(amount, "amount") or Decimal("0.00"),
            starts_on=starts_on,
            ends_on=ends_on,
            splits_labour=splits_labour,
            description=description,
            awarded_on=awarded_on,
        )
        record(
            verb=verbs.GRANT_RECORDED,
            actor=actor,
            target=grant,
            request=request,
            payload={"amount": str(grant.amount), "funder": str(funder.pk)},
        )
    return grant


def do_set_allocation(
    *,
    actor: User,
    grant: Grant,
    first_year: int,
    amount: Decimal,
    years: int = 1,
    labour: Decimal | None = None,
    non_labour: Decimal | None = None,
    request: HttpRequest | None = None,
) -> Allocation:
    """The grant's money for financial year FIRST_YEAR (or two years from it). The allocations
    together may not exceed the grant; where the funder splits labour from non-labour the two
    parts must add up to the allocation exactly."""
    _managing(actor)
    amount = _pounds(amount, "amount") or Decimal("0.00")
    labour, non_labour = _pounds(labour, "labour"), _pounds(non_labour, "non_labour")
    if years not in (1, 2):
        raise ServiceError({"years": "An allocation covers one financial year or two"})
    if grant.splits_labour and (
        labour is None or non_labour is None or labour + non_labour != amount
    ):
        raise ServiceError({"labour": "Labour and non-labour must add up to the allocation"})
    with transaction.atomic():
        others = grant.allocations.exclude(first_year=first_year).aggregate(t=Sum("amount"))["t"]
        if (others or 0) + amount > grant.amount:
            raise ServiceError(
                {"amount": f"The allocations would exceed the grant of £{grant.amount}"}
            )
        allocation, _ = Allocation.objects.update_or_create(
            grant=grant,
            first_year=first_year,
            defaults={"amount": amount, "years": years, "labour": labour, "non_labour": non_labour},
        )
        record(
            verb=verbs.ALLOCATION_SET,
            actor=actor,
            target=grant,
            request=request,
            payload={"year": first_year, "years": years, "amount": str(amount)},
        )
    return allocation


def do_set_reporting_date(
    *,
    actor: User,
    grant: Grant,
    year: int,
    quarter: int,
    due_on: date,
    request: HttpRequest | None = None,
) -> ReportingDate:
    _managing(actor)
    _quarter(year, quarter)
    with transaction.atomic():
        row, _ = ReportingDate.objects.update_or_create(
            grant=grant, year=year, quarter=quarter, defaults={"due_on": due_on}
        )
        record(
            verb=verbs.REPORTING_DATE_SET,
            actor=actor,
            target=grant,
            request=request,
            payload={"year": year, "quarter": quarter, "due_on": due_on.isoformat()},
        )
    return row


def do_create_funded_item(
    *,
    actor: User,
    grant: Grant,
    kind: str,
    name: str,
    provider: Agency,
    budget: Decimal,
    description: str = "",
    request: HttpRequest | None = None,
) -> FundedItem:
    """A post or project on GRANT, delivered by PROVIDER. The items' budgets together may not
    exceed the grant."""
    _managing(actor)
    budget = _pounds(budget, "budget") or Decimal("0.00")
    with transaction.atomic():
        committed = grant.items.aggregate(t=Sum("budget"))["t"] or 0
        if committed + budget > grant.amount:
            raise ServiceError(
                {"budget": f"The items' budgets would exceed the grant of £{grant.amount}"}
            )
        item = FundedItem.objects.create(
            grant=grant,
            kind=kind,
            name=name.strip(),
            provider=provider,
            budget=budget,
            description=description,
        )
        record(
            verb=verbs.ITEM_RECORDED,
            actor=actor,
            target=item,
            request=request,
            payload={"grant": str(grant.pk), "provider": str(provider.pk), "budget": str(budget)},
        )
    return item


def do_add_measure(
    *,
    actor: User,
    item: FundedItem,
    name: str,
    kind: str = "output",
    counts_activity: str = "",
    counts: str = "",
    request: HttpRequest | None = None,
) -> Measure:
    _managing(actor)
    with transaction.atomic():
        measure = Measure.objects.create(
            item=item,
            name=name.strip(),
            kind=kind,
            counts_activity=counts_activity,
            counts=counts,
            position=item.measures.count(),
        )
        record(
            verb=verbs.MEASURE_ADDED,
            actor=actor,
            target=item,
            request=request,
            payload={"measure": str(measure.pk)},
        )
    return measure


def do_set_profile(
    *,
    actor: User,
    item: FundedItem,
    year: int,
    quarter: int,
    budget: Decimal,
    outputs: dict[Measure, int] | None = None,
    request: HttpRequest | None = None,
) -> QuarterFigures:
    """The plan for ITEM's quarter: its budget, and the planned number of each measure."""
    _managing(actor)
    _quarter(year, quarter)
    outputs = outputs or {}
    if any(m.item_id != item.pk for m in outputs):
        raise ServiceError("A measure of another item")
    with transaction.atomic():
        figures, _ = QuarterFigures.objects.get_or_create(item=item, year=year, quarter=quarter)
        figures.budget = _pounds(budget, "budget") or Decimal("0.00")
        figures.save(update_fields=["budget", "updated_at"])
        for measure, planned in outputs.items():
            MeasureQuarter.objects.update_or_create(
                measure=measure, year=year, quarter=quarter, defaults={"profile": planned}
            )
        record(
            verb=verbs.PROFILE_SET,
            actor=actor,
            target=item,
            request=request,
            payload={"year": year, "quarter": quarter, "budget": str(figures.budget)},
        )
    return figures


def do_record_quarter(
    *,
    actor: User,
    item: FundedItem,
    year: int,
    quarter: int,
    spend: Decimal | None,
    spend_labour: Decimal | None = None,
    forecasts: dict[int, Decimal] | None = None,
    actuals: dict[Measure, int] | None = None,
    request: HttpRequest | None = None,
) -> QuarterFigures:
    """A quarter's update: what ITEM spent in the quarter (and of it, on staff where the funder
    asks), the forecast for the year's later quarters {quarter: amount}, and the actual of each
    typed-in measure. The provider's staff until the quarter's return is published; the
    manager always."""
    _quarter(year, quarter)
    if not may_record_figures(actor, item, year, quarter):
        raise PermissionDenied("Only the item's provider or the CSP manager records its figures")
    spend = _pounds(spend, "spend")
    spend_labour = _pounds(spend_labour, "spend_labour")
    if item.grant.splits_labour and spend is not None and spend_labour is None:
        raise ServiceError({"spend_labour": "This funder asks for staff costs apart: enter them"})
    if spend_labour is not None and (spend is None or spend_labour > spend):
        raise ServiceError({"spend_labour": "Staff costs cannot be more than the spend"})
    forecasts = forecasts or {}
    if any(q <= quarter or q > 4 for q in forecasts):
        raise ServiceError({"forecast": "Forecast only the quarters still to come this year"})
    actuals = actuals or {}
    if any(m.item_id != item.pk or m.counts_activity for m in actuals):
        raise ServiceError("A measure that is not typed in for this item")
    with transaction.atomic():
        figures, _ = QuarterFigures.objects.select_for_update().get_or_create(
            item=item, year=year, quarter=quarter
        )
        figures.spend, figures.spend_labour = spend, spend_labour
        figures.save(update_fields=["spend", "spend_labour", "updated_at"])
        for later, amount in forecasts.items():
            row, _ = QuarterFigures.objects.get_or_create(item=item, year=year, quarter=later)
            row.forecast = _pounds(amount, "forecast")
            row.save(update_fields=["forecast", "updated_at"])
        for measure, actual in actuals.items():
            MeasureQuarter.objects.update_or_create(
                measure=measure, year=year, quarter=quarter, defaults={"actual": actual}
            )
        record(
            verb=verbs.QUARTER_RECORDED,
            actor=actor,
            target=item,
            request=request,
            payload={
                "year": year,
                "quarter": quarter,
                "spend": str(spend),
                "forecasts": {str(q): str(a) for q, a in sorted(forecasts.items())},
                "actuals": {str(m.pk): n for m, n in actuals.items()},
            },
        )
    return figures


def do_publish_return(
    *, actor: User, grant: Grant, year: int, quarter: int, request: HttpRequest | None = None
) -> MonitoringReturn:
    """Publish GRANT's return for the quarter: its figures become visible to the partnership
    and the providers' figures for it are closed to their own changes."""
    _managing(actor)
    _quarter(year, quarter)
    with transaction.atomic():
        row, _ = MonitoringReturn.objects.select_for_update().get_or_create(
            grant=grant, year=year, quarter=quarter
        )
        if row.status == ReturnStatus.PUBLISHED:
            raise ServiceError("This return is already published")
        row.status, row.published_at, row.published_by = (
            ReturnStatus.PUBLISHED,
            timezone.now(),
            actor,
        )
        row.save()
        record(
            verb=verbs.RETURN_PUBLISHED,
            actor=actor,
            target=grant,
            request=request,
            payload={"year": year, "quarter": quarter},
        )
    return row


def do_record_return_download(
    *,
    actor: User,
    grant: Grant,
    year: int,
    quarter: int,
    file_format: str,
    request: HttpRequest | None = None,
) -> None:
    """Record that ACTOR downloaded GRANT's return: refused unless they may."""
    if not may_download_return(actor, grant, year, quarter):
        raise PermissionDenied
    record(
        verb=verbs.RETURN_DOWNLOADED,
        actor=actor,
        target=grant,
        request=request,
        payload={"year": year, "quarter": quarter, "format": file_format},
    )


def do_add_condition(
    *,
    actor: User,
    grant: Grant,
    description: str,
    owning_agency: Agency,
    owner: User,
    due_on: date,
    request: HttpRequest | None = None,
) -> Action:
    """A funder's condition on GRANT, as an action with an owner and a due date: reminders,
    "Your actions" and the action page then work for it as for any other."""
    _managing(actor)
    if owner.agency_id != owning_agency.pk or not owner.is_active:
        raise ServiceError({"owner": "The owner must be an active user of the owning agency"})
    with transaction.atomic():
        action = Action.objects.create(
            grant=grant,
            description=description.strip(),
            owning_agency=owning_agency,
            owner=owner,
            due_on=due_on,
        )
        record(
            verb=verbs.CONDITION_SET,
            actor=actor,
            target=grant,
            request=request,
            payload={"action": str(action.pk), "due_on": due_on.isoformat()},
        )
    return action
