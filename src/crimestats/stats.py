"""Is a change in counts more than chance?  The exact conditional two-sample Poisson test."""

from __future__ import annotations

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
    from scipy.stats import binomtest  # scipy.stats takes a second to import: only when used

    p = float(binomtest(current, total, share).pvalue)
    return PoissonComparison(previous, current, p, verdict(previous, current, p, share))


def verdict(previous: int, current: int, p_value: float, share: float = 0.5) -> str:
    """Plain words for a test result."""
    if p_value >= SIGNIFICANCE:
        return "no evidence of change"
    expected_current = (previous + current) * share
    return "significant increase" if current > expected_current else "significant decrease"
