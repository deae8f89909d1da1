"""Time one Gi* run in this (fresh) process: ``python bench/gistar_once.py ours|esda N``."""

from __future__ import annotations

import sys
import time

import numpy as np


def grid(n: int) -> tuple[list[str], list[list[int]]]:
    import h3

    centre = h3.latlng_to_cell(52.5, -1.5, 7)
    k = 1
    while 3 * k * (k + 1) + 1 < n:
        k += 1
    cells = sorted(h3.grid_disk(centre, k))[:n]
    index = {c: i for i, c in enumerate(cells)}
    return cells, [[index[x] for x in h3.grid_ring(c, 1) if x in index] for c in cells]


if __name__ == "__main__":
    which, n = sys.argv[1], int(sys.argv[2])
    cells, neighbours = grid(n)
    y = np.random.default_rng(0).poisson(3, len(cells)).astype(float)
    start = time.perf_counter()
    if which == "ours":
        from crimestats.gistar import gi_star

        first = time.perf_counter()
        gi_star(y, neighbours, permutations=999, seed=1)
        t_first = time.perf_counter() - first
        warm = time.perf_counter()
        gi_star(y, neighbours, permutations=999, seed=2)
        t_warm = time.perf_counter() - warm
    else:
        import esda
        from libpysal.weights import W

        w = W(dict(enumerate(neighbours)), silence_warnings=True)
        first = time.perf_counter()
        esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=1)
        t_first = time.perf_counter() - first
        warm = time.perf_counter()
        esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=2)
        t_warm = time.perf_counter() - warm
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{t_first:.3f} {t_warm:.3f} {peak:.0f} {len(cells)}")
