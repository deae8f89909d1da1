"""The exact conditional Poisson test, against scipy and statsmodels."""

from __future__ import annotations

import pytest
from scipy.stats import binomtest
from statsmodels.stats import rates

from crimestats.stats import poisson_test


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels divides by a zero rate
@pytest.mark.parametrize(
    ("previous", "current"), [(3, 6), (2194, 2235), (222, 296), (0, 4), (50, 30)]
)
def test_matches_statsmodels_exact_conditional(previous: int, current: int) -> None:
    ours = poisson_test(previous, current)
    theirs = rates.test_poisson_2indep(current, 1, previous, 1, method="exact-cond")
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)
    assert ours.p_value == pytest.approx(binomtest(current, previous + current, 0.5).pvalue)


def test_unequal_exposure_uses_the_month_ratio() -> None:
    ours = poisson_test(120, 60, previous_exposure=12, current_exposure=3)
    theirs = rates.test_poisson_2indep(60, 3, 120, 12, method="exact-cond")
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)
    assert ours.verdict == "significant increase"  # 20 a month against 10 a month


def test_small_counts_give_no_evidence_and_plain_words() -> None:
    assert poisson_test(4, 9).verdict == "no evidence of change"
    assert poisson_test(400, 300).verdict == "significant decrease"
    assert poisson_test(0, 0).p_value is None


def test_change_pct_none_when_previous_zero() -> None:
    assert poisson_test(0, 7).change_pct is None
    assert poisson_test(80, 100).change_pct == 25.0
