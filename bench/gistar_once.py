"""Time one Gi* run in this (fresh) process: ``python bench/gistar_once.py ours|esda N``.

Prints one JSON line: first and warm call (wall and CPU seconds), this process's own peak
memory (``VmHWM``) and the number of units.
"""

from __future__ import annotations

import json
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
    from step import cpu_seconds, peak_mb

    if which == "ours":
        from crimestats.gistar import gi_star

        cpu, first = cpu_seconds(), time.perf_counter()
        gi_star(y, neighbours, permutations=999, seed=1)
        t_first = time.perf_counter() - first
        cpu_first = cpu_seconds() - cpu
        cpu = cpu_seconds()
        warm = time.perf_counter()
        gi_star(y, neighbours, permutations=999, seed=2)
        t_warm = time.perf_counter() - warm
    else:
        import esda
        from libpysal.weights import W

        w = W(dict(enumerate(neighbours)), silence_warnings=True)
        cpu, first = cpu_seconds(), time.perf_counter()
        esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=1)
        t_first = time.perf_counter() - first
        cpu_first = cpu_seconds() - cpu
        cpu = cpu_seconds()
        warm = time.perf_counter()
        esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=2)
        t_warm = time.perf_counter() - warm
    cpu_warm = cpu_seconds() - cpu
    print(
        json.dumps(
            {
                "first": t_first,
                "warm": t_warm,
                "cpu_first": cpu_first,
                "cpu_warm": cpu_warm,
                "peak_mb": peak_mb(),
                "units": len(cells),
            }
        )
    )
