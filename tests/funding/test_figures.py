"""The arithmetic at its edges: RAG bands, % against profile, direction, and the underspend
rule (from Q3 of the allocation's last year, no carry-over). Expected values worked by hand."""

from decimal import Decimal

from csphub.funding.figures import QuarterMoney, direction, percent, performance, rag, underspend

D = Decimal


def test_rag_bands_at_their_edges():
    assert rag(D("90.0")) == "green"
    assert rag(D("89.9")) == "amber"
    assert rag(D("70.0")) == "amber"
    assert rag(D("69.9")) == "red"
    assert rag(None) == "none"


def test_percent_rounds_half_up_and_needs_a_profile():
    assert percent(2, 3) == D("66.7")  # 66.666…
    assert percent(1, 8) == D("12.5")
    assert percent(7, 0) is None


def test_direction_compares_with_the_previous_quarter():
    assert direction(D("80"), D("70")) == "up"
    assert direction(D("70"), D("80")) == "down"
    assert direction(D("70"), D("70")) == "same"
    assert direction(D("70"), None) == "new"


def test_performance_is_year_to_date():
    # Profile 10 a quarter; actuals 10, 4, 14: to Q3, 28 of 30 = 93.3%; to Q2 14 of 20 = 70%.
    by_q = {1: (10, 10), 2: (10, 4), 3: (10, 14), 4: (10, None)}
    p = performance(by_q, 3)
    assert (p.profile_to_date, p.actual_to_date, p.percent) == (30, 28, D("93.3"))
    assert (p.rag, p.direction) == ("green", "up")
    assert performance(by_q, 2).rag == "amber"
    assert performance(by_q, 1).direction == "new"


BUDGET = D("2500.00")


def _quarters(spends, forecasts, year=2023, budget=BUDGET):
    return [
        QuarterMoney(year, q, budget, s, f)
        for q, s, f in zip((1, 2, 3, 4), spends, forecasts, strict=True)
    ]


def test_no_flag_before_quarter_three_however_short():
    qs = _quarters([D("0"), D("0"), None, None], [None, None, D("0"), D("0")])
    result = underspend(D("10000.00"), qs, years=[2023], at=(2023, 2))
    assert result.shortfall == D("10000.00")
    assert not result.checked and not result.at_risk


def test_flag_in_quarter_three_when_a_penny_short():
    # Spent 2500 + 2500 + 2500, forecast Q4 2499.99: 9999.99 of 10000.
    qs = _quarters([D("2500"), D("2500"), D("2500"), None], [None, None, None, D("2499.99")])
    result = underspend(D("10000.00"), qs, years=[2023], at=(2023, 3))
    assert result.shortfall == D("0.01")
    assert result.at_risk


def test_no_flag_when_spend_and_forecast_meet_the_allocation_exactly():
    qs = _quarters([D("2500"), D("2500"), D("2500"), None], [None, None, None, D("2500.00")])
    result = underspend(D("10000.00"), qs, years=[2023], at=(2023, 3))
    assert result.shortfall == D("0.00") and not result.at_risk


def test_a_quarter_with_no_forecast_is_expected_to_spend_its_budget():
    qs = _quarters([D("2500"), D("2500"), D("2000"), None], [None, None, None, None])
    result = underspend(D("10000.00"), qs, years=[2023], at=(2023, 3))
    assert (result.spent, result.forecast, result.shortfall) == (
        D("7000"),
        D("2500.00"),
        D("500.00"),
    )
    assert result.at_risk


def test_in_quarter_four_only_spend_counts():
    qs = _quarters([D("2500"), D("2500"), D("2500"), D("2400")], [None, None, None, D("2500")])
    result = underspend(D("10000.00"), qs, years=[2023], at=(2023, 4))
    assert (result.forecast, result.shortfall, result.at_risk) == (D("0.00"), D("100"), True)


def test_nothing_carries_over_from_another_year():
    this_year = _quarters([D("2500"), D("2500"), D("2000"), None], [None, None, None, D("2500")])
    last_year = _quarters([D("9000")] * 4, [None] * 4, year=2022)
    result = underspend(D("10000.00"), last_year + this_year, years=[2023], at=(2023, 3))
    assert result.spent == D("7000") and result.shortfall == D("500") and result.at_risk


def test_a_two_year_allocation_is_checked_only_in_its_second_year():
    first = _quarters([D("0")] * 4, [None] * 4, year=2023)
    second = _quarters([D("0"), D("0"), None, None], [None, None, D("0"), D("0")], year=2024)
    in_first = underspend(D("20000.00"), first + second, years=[2023, 2024], at=(2023, 3))
    in_second = underspend(D("20000.00"), first + second, years=[2023, 2024], at=(2024, 3))
    assert not in_first.at_risk
    assert in_second.at_risk and in_second.shortfall == D("20000.00")
