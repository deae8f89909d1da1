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


def test_the_exact_test_equals_scipys_binomtest_at_every_scale() -> None:
    # Independent reference: scipy's binomtest, over small, tied, extreme and London-sized counts.
    import numpy as np
    from scipy.stats import binomtest

    from crimestats.stats import binomial_two_sided_p

    rng = np.random.default_rng(20)
    cases = [(0, 1, 0.5), (1, 1, 0.5), (3, 9, 0.5), (5, 10, 0.5), (0, 40, 0.5), (40, 40, 0.5)]
    cases += [(0, 7, 0.3), (7, 7, 0.3), (1200, 2200, 0.5), (901_000, 1_800_000, 0.5)]
    for n in (2, 3, 10, 57, 400, 5_000, 80_000, 1_500_000):
        for _ in range(12):
            p = float(rng.choice([0.5, rng.uniform(0.2, 0.8)]))
            spread = 3 * (n * p * (1 - p)) ** 0.5 + 1
            cases.append((int(np.clip(rng.normal(n * p, spread), 0, n)), n, p))
    for k, n, p in cases:
        expected = binomtest(k, n, p).pvalue
        assert binomial_two_sided_p(k, n, p) == pytest.approx(expected, rel=1e-8, abs=1e-300), (
            k,
            n,
            p,
        )
