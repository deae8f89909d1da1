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
    p_sim = _permutation_p(y, local, cards, permutations, np.random.default_rng(seed), chunk_cells)
    from scipy.stats import false_discovery_control  # a second to import: only when used

    q = false_discovery_control(p_sim, method="bh")
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
) -> FloatArray:
    n = y.size
    draws = _draws(n - 1, int(cards.max()), permutations, rng)
    # As extreme as observed in each direction; a tie counts in both, so it never helps significance.
    at_least = np.zeros(n, dtype=np.int64)
    at_most = np.zeros(n, dtype=np.int64)
    for k in np.unique(cards):
        units = np.flatnonzero(cards == k)
        base = draws[:, :k]
        step = max(1, chunk_cells // max(1, permutations * max(int(k), 1)))
        for start in range(0, units.size, step):
            chunk = units[start : start + step]
            # Index j among "the other n - 1 units" of unit i is unit j, or j + 1 from i onwards.
            idx = base[None, :, :] + (base[None, :, :] >= chunk[:, None, None])
            simulated = y[idx].sum(axis=2) + y[chunk, None]
            observed = local[chunk, None]
            at_least[chunk] = (simulated >= observed).sum(axis=1)
            at_most[chunk] = (simulated <= observed).sum(axis=1)
    # esda folds with min(at_least, permutations - at_least), which counts a simulated value equal
    # to the observed one as "less extreme" in the cold direction: an all-zero neighbourhood among
    # all-zero draws then scores 1/(permutations + 1) and becomes a cold spot. Counting ties in
    # the direction of the deviation gives p = 1 for a tie everywhere (constant input).
    folded = np.minimum(at_least, at_most)
    return (folded + 1.0) / (permutations + 1.0)


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
