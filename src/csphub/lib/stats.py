"""The statistics the apps publish with their figures: the exact Poisson test of a change and
the exact interval of a rate.

There is one implementation, ``crimestats.stats`` (the crime figures use it too), and feature
apps import it by this name rather than reaching into crimestats (docs/adr/0010-import-layers.md).
Nothing is defined here.

>>> poisson_test(6, 3).verdict
'no evidence of change'
"""

from __future__ import annotations

from crimestats.stats import PoissonComparison, RateInterval, poisson_test, rate_interval

__all__ = ["PoissonComparison", "RateInterval", "poisson_test", "rate_interval"]
