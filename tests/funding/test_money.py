"""Money is exact pounds and pence, and the totals reconcile: each total is added up here,
independently of the code, from the figures entered."""

from decimal import Decimal

import pytest

from csphub.core.errors import ServiceError
from csphub.funding import returns, services
from csphub.funding.selectors import grant_at_quarter
from tests.funding.conftest import YEAR

BUS = ["5999.99", "6000.01", "5800.33"]
WORKSHOPS = ["4000.10", "3999.90", "3500.00"]


def _enter(f):
    for q, (b, w) in enumerate(zip(BUS, WORKSHOPS, strict=True), start=1):
        services.do_record_quarter(
            actor=f.manager, item=f.bus, year=YEAR, quarter=q, spend=Decimal(b)
        )
        services.do_record_quarter(
            actor=f.manager, item=f.workshops, year=YEAR, quarter=q, spend=Decimal(w)
        )
    services.do_record_quarter(
        actor=f.manager,
        item=f.bus,
        year=YEAR,
        quarter=3,
        spend=Decimal(BUS[2]),
        forecasts={4: Decimal("6000.00")},
    )


def test_spend_to_date_and_the_grants_total_reconcile(funding):
    _enter(funding)
    view = grant_at_quarter(funding.manager, funding.grant, YEAR, 3)
    by_hand_bus = Decimal("5999.99") + Decimal("6000.01") + Decimal("5800.33")  # 17800.33
    by_hand_workshops = Decimal("11500.00")
    spent = {row.item.name: row.money.spent for row in view.items}
    assert spent == {"Outreach bus": by_hand_bus, "School workshops": by_hand_workshops}
    assert view.money.spent == Decimal("29300.33")
    # Forecast Q4: the bus's 6000.00 entered, the workshops' budget 4000.00 (no forecast).
    assert view.money.forecast == Decimal("10000.00")
    assert view.money.shortfall == Decimal("40000.00") - Decimal("39300.33")  # 699.67
    assert view.money.at_risk
    _, rows = returns.build(funding.manager, funding.grant, YEAR, 3)
    assert sum(r["spend_to_date"] for r in rows["finance"]) == Decimal("29300.33")


def test_more_than_two_decimal_places_is_refused_not_rounded(funding):
    with pytest.raises(ServiceError):
        services.do_record_quarter(
            actor=funding.manager, item=funding.bus, year=YEAR, quarter=1, spend=Decimal("10.005")
        )


def test_allocations_and_budgets_cannot_exceed_the_grant(funding):
    with pytest.raises(ServiceError):
        services.do_set_allocation(
            actor=funding.manager, grant=funding.grant, first_year=YEAR + 1, amount=Decimal("0.01")
        )
    with pytest.raises(ServiceError):
        services.do_create_funded_item(
            actor=funding.manager,
            grant=funding.grant,
            kind="post",
            name="Extra",
            provider=funding.provider,
            budget=Decimal("0.01"),
        )


def test_a_labour_split_must_add_up(funding):
    grant = services.do_create_grant(
        actor=funding.manager,
        funder=funding.home_office,
        title="SVD",
        amount=Decimal("1000.00"),
        starts_on=funding.grant.starts_on,
        ends_on=funding.grant.ends_on,
        splits_labour=True,
    )
    with pytest.raises(ServiceError):
        services.do_set_allocation(
            actor=funding.manager,
            grant=grant,
            first_year=YEAR,
            amount=Decimal("1000.00"),
            labour=Decimal("600.00"),
            non_labour=Decimal("399.99"),
        )
    allocation = services.do_set_allocation(
        actor=funding.manager,
        grant=grant,
        first_year=YEAR,
        amount=Decimal("1000.00"),
        labour=Decimal("600.00"),
        non_labour=Decimal("400.00"),
    )
    assert allocation.labour + allocation.non_labour == Decimal("1000.00")


def test_the_chain_runs_from_the_source_to_the_providers(funding):
    assert funding.grant.chain() == [
        "Home Office",
        "MOPAC",
        "the partnership",
        "Safer Streets CIC, Young Voices Trust",
    ]
