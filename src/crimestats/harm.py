"""Harm weights: an approximation of the ONS Crime Severity Score, shipped as ``severity_weights.csv``.

Weights are per category (the open data are not at Home Office offence level), so each is a
rounded, indicative average of the offence-level weights beneath it; see docs/crime-data.md.
"""

from __future__ import annotations

import csv
from functools import cache

from crimestats.config import PACKAGE_DATA
from crimestats.selectors import matches, normalise


@cache
def load_weights() -> dict[str, list[tuple[str, float]]]:
    """Selectors and weights for each source."""
    out: dict[str, list[tuple[str, float]]] = {}
    with (PACKAGE_DATA / "severity_weights.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["source"], []).append((row["selector"], float(row["weight"])))
    return out


@cache  # called for every category, area and period of a figures table
def weight_for(source: str, category: str) -> float:
    """The weight for one category; an exact selector beats a ``MAJOR/*`` one; unknown is 0.

    >>> weight_for("mps_2023", "BURGLARY/BURGLARY BUSINESS AND COMMUNITY")
    80.0
    >>> weight_for("mps_2023", "BURGLARY/RES BURGLARY OF A HOME")
    250.0
    """
    rules = load_weights().get(source, [])
    exact = [w for s, w in rules if normalise(s) == normalise(category)]
    if exact:
        return exact[0]
    wild = [w for s, w in rules if matches(s, category)]
    return wild[0] if wild else 0.0
