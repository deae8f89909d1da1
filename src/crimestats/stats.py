"""Is a change in counts more than chance?  The exact conditional two-sample Poisson test."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class PoissonComparison:
    """Result of comparing two Poisson counts with their exposures (e.g. months)."""

    previous: int
    current: int
    p_value: float | None
    verdict: str

    @property
    def change_pct(self) -> float | None:
        """Percentage change from previous to current; None when previous is zero."""
        if self.previous == 0:
            return None
        return round(100.0 * (self.current - self.previous) / self.previous, 1)


def poisson_test(
    previous: int, current: int, previous_exposure: float = 1.0, current_exposure: float = 1.0
) -> PoissonComparison:
    """Two-sided exact conditional test that two Poisson rates are equal.

    Given the total n = previous + current, under "no change" the current count is binomial
    with n trials and probability current_exposure / (total exposure) (Przyborowski and
    Wilenski, 1940).  Small counts give large p-values: 3 against 6 is no evidence of change.

    >>> poisson_test(6, 3).verdict
    'no evidence of change'
    >>> r = poisson_test(1000, 1200)
    >>> r.change_pct, r.p_value < 0.001, r.verdict
    (20.0, True, 'significant increase')
    """
    if previous < 0 or current < 0:
        raise ValueError("counts cannot be negative")
    total = previous + current
    if total == 0:
        return PoissonComparison(previous, current, None, "no crimes in either period")
    share = current_exposure / (current_exposure + previous_exposure)
    p = binomial_two_sided_p(current, total, share)
    return PoissonComparison(previous, current, p, verdict(previous, current, p, share))


def verdict(previous: int, current: int, p_value: float, share: float = 0.5) -> str:
    """Plain words for a test result."""
    if p_value >= SIGNIFICANCE:
        return "no evidence of change"
    expected_current = (previous + current) * share
    return "significant increase" if current > expected_current else "significant decrease"


# The exact binomial test in the standard library's floats: scipy.stats gives the same p-values
# (tests/crimestats/test_stats.py compares them) but takes a second to import, which the first
# figures page after a server start would pay.


def binomial_two_sided_p(k: int, n: int, p: float) -> float:
    """Two-sided exact binomial p-value, as ``scipy.stats.binomtest(k, n, p).pvalue``: the
    probability of every outcome no more likely than K (with scipy's relative tolerance 1e-7).

    >>> round(binomial_two_sided_p(3, 9, 0.5), 6), binomial_two_sided_p(5, 10, 0.5)
    (0.507812, 1.0)
    """
    if not 0 <= k <= n:
        raise ValueError("k must be between 0 and n")
    if not 0.0 < p < 1.0:
        return 1.0 if (p == 0.0 and k == 0) or (p == 1.0 and k == n) else 0.0
    d = _pmf(k, n, p) * (1 + 1e-7)
    mean = p * n
    if k == mean:
        return 1.0
    if k < mean:
        # The first outcome above the mode whose probability is at most d: all beyond it count.
        lo, hi = math.ceil(mean), n
        while lo < hi:
            mid = (lo + hi) // 2
            if _pmf(mid, n, p) <= d:
                hi = mid
            else:
                lo = mid + 1
        upper = lo if _pmf(lo, n, p) <= d else n + 1
        value = _cdf(k, n, p) + (_sf(upper - 1, n, p) if upper <= n else 0.0)
    else:
        # The last outcome below the mode whose probability is at most d.
        lo, hi = 0, math.floor(mean)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _pmf(mid, n, p) <= d:
                lo = mid
            else:
                hi = mid - 1
        lower = lo if _pmf(lo, n, p) <= d else -1
        value = (_cdf(lower, n, p) if lower >= 0 else 0.0) + _sf(k - 1, n, p)
    return min(1.0, value)


def _pmf(k: int, n: int, p: float) -> float:
    log = (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )
    return math.exp(log)


def _cdf(k: int, n: int, p: float) -> float:
    """P(X <= k)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return _regularised_beta(n - k, k + 1, 1.0 - p)


def _sf(k: int, n: int, p: float) -> float:
    """P(X > k)."""
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return _regularised_beta(k + 1, n - k, p)


def _regularised_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) by its continued fraction (modified Lentz), on the side where it converges."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny, eps = 1e-300, 1e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 200_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1.0) < eps:
            return h
    raise ArithmeticError(f"the incomplete beta did not converge for a={a}, b={b}, x={x}")


@dataclass(frozen=True)
class RateInterval:
    """A count per ``per`` people, with an exact (Garwood) confidence interval."""

    count: int
    population: int
    per: int
    rate: float
    lower: float
    upper: float
    confidence: float


def poisson_interval(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood, 1936) interval for a Poisson mean given one observed COUNT: the
    gamma quantiles of the chi-squared form, which never fall below zero and hold their
    coverage for small counts, as the public health profiles' tables do.

    >>> [round(v, 3) for v in poisson_interval(10)]
    [4.795, 18.39]
    >>> poisson_interval(0)[0]
    0.0
    """
    if count < 0:
        raise ValueError("a count cannot be negative")
    if not 0 < confidence < 1:
        raise ValueError("the confidence is between 0 and 1")
    from scipy.special import gammaincinv  # scipy loads with the figures that need it

    tail = (1 - confidence) / 2
    lower = 0.0 if count == 0 else float(gammaincinv(count, tail))
    return lower, float(gammaincinv(count + 1, 1 - tail))


def rate_interval(
    count: int, population: int, per: int = 100_000, confidence: float = 0.95
) -> RateInterval:
    """COUNT per PER of POPULATION, with the exact interval of ``poisson_interval`` scaled.

    >>> r = rate_interval(10, 200_000)
    >>> r.rate, round(r.lower, 2), round(r.upper, 2)
    (5.0, 2.4, 9.2)
    """
    if population <= 0:
        raise ValueError("a rate needs a population above zero")
    lower, upper = poisson_interval(count, confidence)
    scale = per / population
    return RateInterval(
        count, population, per, count * scale, lower * scale, upper * scale, confidence
    )
