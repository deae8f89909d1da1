"""Getis-Ord Gi* with conditional permutation inference and false-discovery-rate control.

The statistic and its analytical z-score follow PySAL esda's ``G_Local(star=True,
transform="B")``: binary contiguity weights with each unit counted as its own neighbour.
Inference is conditional randomisation as in esda: for unit i, its k_i neighbours' values are
replaced by k_i values drawn without replacement from the other n - 1 units, 999 times.  The
draws are shared across units (as esda's are) and evaluated with vectorised numpy, so there is
no just-in-time compilation to pay in each new process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GiStarResult:
    """Gi* for every unit, with pseudo p-values and FDR-controlled hot and cold spots."""

    g: FloatArray  #: the statistic, sum of values in the neighbourhood / total
    z: FloatArray  #: analytical z-score
    p_sim: FloatArray  #: one-sided pseudo p-value from the permutations (ties count against)
    q: FloatArray  #: Benjamini-Hochberg adjusted p_sim
    alpha: float

    @property
    def hot(self) -> NDArray[np.bool_]:
        """Units significantly higher than chance after FDR control."""
        return (self.q <= self.alpha) & (self.z > 0)

    @property
    def cold(self) -> NDArray[np.bool_]:
        """Units significantly lower than chance after FDR control."""
        return (self.q <= self.alpha) & (self.z < 0)

    def labels(self) -> list[str]:
        """ "hot spot", "cold spot" or "not significant" for each unit."""
        return [
            "hot spot" if h else "cold spot" if c else "not significant"
            for h, c in zip(self.hot, self.cold, strict=True)
        ]


def gi_star(
    values: Sequence[float] | FloatArray,
    neighbours: Sequence[Sequence[int]],
    *,
    permutations: int = 999,
    alpha: float = 0.05,
    seed: int | None = None,
    chunk_cells: int = 4_000_000,
) -> GiStarResult:
    """Gi* for ``values`` over a neighbour list (indices, self not included).

    >>> line = [[1], [0, 2], [1, 3], [2, 4], [3]]
    >>> r = gi_star([0, 0, 1, 9, 8], line, permutations=99, seed=1)
    >>> [round(float(v), 2) for v in r.g]
    [0.0, 0.06, 0.56, 1.0, 0.94]
    >>> bool(r.z[3] > r.z[0])
    True
    """
    y = np.asarray(values, dtype=np.float64)
    n = y.size
    if n < 3:
        raise ValueError("Gi* needs at least three units")
    if len(neighbours) != n:
        raise ValueError("one neighbour list per unit is needed")
    cards = np.fromiter((len(nb) for nb in neighbours), dtype=np.int64, count=n)
    sums = np.fromiter(
        (y[list(nb)].sum() if len(nb) else 0.0 for nb in neighbours), dtype=np.float64, count=n
    )
    local = sums + y  # star: the unit is its own neighbour with weight 1
    total = y.sum()
    g = local / total
    z = _analytical_z(y, g, cards + 1)
    p_sim = _permutation_p(
        y, local, cards, permutations, np.random.default_rng(seed), chunk_cells, z
    )
    q = benjamini_hochberg(p_sim)
    return GiStarResult(g, z, p_sim, q, alpha)


def _analytical_z(y: FloatArray, g: FloatArray, weight_sums: NDArray[np.int64]) -> FloatArray:
    # esda's moments for Gi* with binary weights (Getis and Ord 1992; Ord and Getis 1995).
    n = y.size
    mean = y.mean()
    variance = (y**2).mean() - mean**2
    expected = weight_sums / n
    var_g = weight_sums * (n - weight_sums) / (n - 1) / n**2 * variance / mean**2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((g - expected) / np.sqrt(var_g), dtype=np.float64)


def _draws(n_other: int, k: int, permutations: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """``permutations`` rows of ``k`` distinct indices in [0, n_other)."""
    if k == 0:
        return np.zeros((permutations, 0), dtype=np.int64)
    if k * 4 > n_other:  # dense: a full shuffle per row is cheap enough and exact
        return np.argsort(rng.random((permutations, n_other)), axis=1)[:, :k]
    draws = rng.integers(0, n_other, size=(permutations, k))
    while True:  # redraw rows holding a repeat; rare when k is far below n
        ordered = np.sort(draws, axis=1)
        bad = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not bad.any():
            return draws
        draws[bad] = rng.integers(0, n_other, size=(int(bad.sum()), k))


def _permutation_p(
    y: FloatArray,
    local: FloatArray,
    cards: NDArray[np.int64],
    permutations: int,
    rng: np.random.Generator,
    chunk_cells: int,
    z: FloatArray,
) -> FloatArray:
    """Pseudo p-values by conditional randomisation, with one set of draws for every unit.

    Each permutation draws k_max + 1 distinct units from all n. For unit i with k neighbours,
    its simulated neighbours are the first k of those draws that are not i itself: the first k
    when i is not among them, else the first k + 1 without i. That is k distinct units drawn
    uniformly from the other n - 1, as conditional randomisation asks, and it needs only the
    running sums of each permutation's draws and where (if anywhere) unit i was drawn, so the
    cost is a few comparisons per unit and permutation rather than k gathers.
    """
    n = y.size
    k_max = int(cards.max())
    take = min(k_max + 1, n)
    draws = _draws(n, take, permutations, rng)
    # running[p, k]: the sum of the first k draws of permutation p (k = 0 .. take).
    running = np.zeros((permutations, take + 1), dtype=np.float64)
    np.cumsum(y[draws], axis=1, out=running[:, 1:])
    # drawn_at[p, i]: where unit i sits among permutation p's draws (take when not drawn).
    position_type = np.int16 if take < np.iinfo(np.int16).max else np.int32
    drawn_at = np.full((permutations, n), take, dtype=position_type)
    rows = np.repeat(np.arange(permutations), take)
    drawn_at[rows, draws.ravel()] = np.tile(np.arange(take, dtype=position_type), permutations)
    at_least = np.zeros(n, dtype=np.int64)
    at_most = np.zeros(n, dtype=np.int64)
    for k in np.unique(cards):
        k = int(k)
        units = np.flatnonzero(cards == k)
        step = max(1, chunk_cells // permutations)
        for start in range(0, units.size, step):
            chunk = units[start : start + step]
            drew_self = drawn_at[:, chunk] < k  # (permutations, units)
            beyond = running[:, min(k + 1, take), None] - y[chunk][None, :]
            simulated = np.where(drew_self, beyond, running[:, k, None]) + y[chunk][None, :]
            observed = local[chunk][None, :]
            # As extreme as observed in each direction; a tie counts in both, so it never
            # helps significance.
            at_least[chunk] = (simulated >= observed).sum(axis=0)
            at_most[chunk] = (simulated <= observed).sum(axis=0)
    # The tail is the one Z points to, the direction the unit is labelled in (hot above, cold
    # below), so a unit is never called hot on the strength of its lower tail. esda folds with
    # min(at_least, permutations - at_least), which also counts a simulated value equal to the
    # observed one as "less extreme" in the cold direction: an all-zero neighbourhood among
    # all-zero draws then scores 1/(permutations + 1) and becomes a cold spot. Here a tie counts
    # in both tails, so a tie everywhere (constant input) gives p = 1. With no direction (z is
    # zero or undefined) the larger tail is taken: no evidence either way.
    tail = np.where(z > 0, at_least, np.where(z < 0, at_most, np.maximum(at_least, at_most)))
    return (tail + 1.0) / (permutations + 1.0)


def benjamini_hochberg(p: FloatArray) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q), as ``scipy.stats.false_discovery_control``
    gives with ``method="bh"``, without importing scipy.stats (a second in a new process).

    >>> [round(float(v), 4) for v in benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5]))]
    [0.04, 0.0533, 0.0533, 0.5]
    """
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m, dtype=np.float64)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def queen_neighbours(polygons: Sequence[Any]) -> list[list[int]]:
    """Queen contiguity: polygons sharing at least one vertex are neighbours (as libpysal's
    ``Queen.from_iterable`` decides it), found with numpy alone.

    libpysal takes about three seconds to import (it loads pandas), which the hot spot page
    would pay on its first request; this is the same rule, checked against libpysal in the tests.

    >>> from shapely.geometry import box
    >>> queen_neighbours([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 1, 3, 2), box(5, 5, 6, 6)])
    [[1], [0, 2], [1], []]
    """
    import shapely

    coords, owner = shapely.get_coordinates(np.asarray(polygons, dtype=object), return_index=True)
    _, vertex = np.unique(coords, axis=0, return_inverse=True)
    pairs = np.unique(np.column_stack([vertex.ravel(), owner]), axis=0)  # (vertex, polygon), sorted
    starts = np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]])
    sizes = np.diff(np.r_[starts, len(pairs)])
    found: list[set[int]] = [set() for _ in polygons]
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        sharing = pairs[start : start + size, 1].tolist()
        for i in sharing:
            found[i].update(sharing)
    return [sorted(nb - {i}) for i, nb in enumerate(found)]


def neighbours_from_h3(cells: Sequence[str]) -> list[list[int]]:
    """Hexagon contiguity: the cells from ``cells`` that touch each cell."""
    import h3

    index = {c: i for i, c in enumerate(cells)}
    return [[index[nb] for nb in h3.grid_ring(c, 1) if nb in index] for c in cells]


def p_norm(z: FloatArray) -> FloatArray:
    """One-sided normal p-value for a z-score, as esda reports it."""
    from scipy.stats import norm

    return np.asarray(norm.sf(np.abs(z)), dtype=np.float64)
