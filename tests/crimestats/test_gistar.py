"""Gi* against PySAL esda on the real Bexley LSOA 2021 boundaries."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from crimestats_testdata import BEXLEY_GEO
from shapely.geometry import shape

from crimestats.gistar import gi_star, neighbours_from_h3, queen_neighbours

# Compared with PySAL's esda on the real Bexley boundaries.
pytestmark = [pytest.mark.realdata, pytest.mark.esda]

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")


@pytest.fixture(scope="module")
def bexley() -> tuple[object, list[list[int]], np.ndarray]:
    features = json.loads((BEXLEY_GEO / "bexley_lsoa21.geojson").read_text())["features"]
    polygons = [shape(f["geometry"]) for f in features]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.Queen.from_iterable(polygons)
    neighbours = [list(w.neighbors[i]) for i in range(len(polygons))]
    # A skewed count surface with a cluster in the north (high latitude), like violence in Bexley.
    lat = np.array([p.centroid.y for p in polygons])
    rng = np.random.default_rng(7)
    y = rng.poisson(2 + 30 * (lat > np.quantile(lat, 0.85))).astype(float)
    return w, neighbours, y


def test_statistic_and_z_equal_esda(bexley) -> None:  # type: ignore[no-untyped-def]
    w, neighbours, y = bexley
    ours = gi_star(y, neighbours, permutations=99, seed=1)
    theirs = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(ours.g, theirs.Gs, rtol=1e-12)
    np.testing.assert_allclose(ours.z, theirs.Zs, rtol=1e-9)


def test_permutation_p_values_agree_with_esda(bexley) -> None:  # type: ignore[no-untyped-def]
    w, neighbours, y = bexley
    ours = gi_star(y, neighbours, permutations=999, seed=3)
    theirs = _esda_p_sim(y, w, permutations=999, seed=3)
    assert np.corrcoef(ours.p_sim, theirs)[0, 1] > 0.95
    agree = (ours.p_sim < 0.05) == (theirs < 0.05)
    assert agree.mean() > 0.9
    # Monte Carlo noise with 999 draws (two esda runs with different seeds differ by ~0.012 on
    # average); ours also counts exact ties exactly, where esda compares rounded floats.
    assert np.abs(ours.p_sim - theirs).mean() < 0.04


def _esda_p_sim(y: np.ndarray, w, permutations: int, seed: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """esda's Gi* pseudo p-values, asking its conditional randomisation for the alternative
    explicitly.  ``G_Local`` (esda 2.9) cannot pass one, so it warns that the default will
    change; we call the same ``crand`` with the same statistic, as ``G_Local`` does.

    ``alternative="directed"``: the count of permutations at least as extreme *in the
    direction of the observed value*, folded ((min(larger, n - larger) + 1) / (n + 1)),
    which is exactly what ``crimestats.gistar`` reports as ``p_sim``; "two-sided" would
    double it and is a different quantity.
    """
    from esda.crand import crand
    from esda.getisord import _g_local_star_crand

    # No permutations: G_Local only builds its weights (self included, binary) and Gs.
    g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    # esda's numba path, single-threaded: its first call compiles (~20 s), paid once here.
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the explicit alternative: no warning
        p_sim, _ = crand(
            y,
            g.w,
            g.Gs,
            permutations,
            False,
            n_jobs=1,
            stat_func=_g_local_star_crand,
            scaling=y.sum(),
            seed=seed,
            alternative="directed",
        )
    return np.asarray(p_sim)


def test_esda_directed_p_sim_is_the_g_local_default(bexley) -> None:  # type: ignore[no-untyped-def]
    # The explicit alternative changes nothing: it is what G_Local computes (with a warning).
    w, _, y = bexley
    with pytest.warns(DeprecationWarning, match="alternative"):
        default = esda.G_Local(y, w, transform="B", star=True, permutations=99, seed=4, n_jobs=1)
    np.testing.assert_array_equal(_esda_p_sim(y, w, permutations=99, seed=4), default.p_sim)


@pytest.mark.parametrize(
    ("name", "code_field"),
    [
        ("bexley_lsoa21.geojson", "LSOA21CD"),
        ("bexley_lsoa11.geojson", "LSOA11CD"),
        ("bexley_wards2025.geojson", "WD25CD"),
    ],
)
def test_queen_contiguity_equals_libpysal(name: str, code_field: str) -> None:
    features = json.loads((BEXLEY_GEO / name).read_text())["features"]
    polygons = [shape(f["geometry"]) for f in features]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal reports islands; they have no neighbours
        w = libpysal.weights.Queen.from_iterable(polygons)
    ours = queen_neighbours(polygons)
    assert ours == [sorted(w.neighbors[i]) for i in range(len(polygons))]
    assert sum(map(len, ours)) > 2 * len(polygons)  # a real neighbourhood, not an empty one


def test_fdr_finds_the_planted_cluster_only(bexley) -> None:  # type: ignore[no-untyped-def]
    _, neighbours, y = bexley
    result = gi_star(y, neighbours, permutations=999, seed=5)
    assert result.hot.sum() >= 5
    assert y[result.hot].mean() > 3 * y[~result.hot].mean()
    assert (result.q >= result.p_sim - 1e-12).all()  # BH never makes p smaller


def test_h3_neighbours_are_touching_hexagons() -> None:
    import h3

    centre = h3.latlng_to_cell(51.45, 0.15, 8)
    cells = [centre, *sorted(h3.grid_ring(centre, 1))]
    nb = neighbours_from_h3(cells)
    assert sorted(nb[0]) == [1, 2, 3, 4, 5, 6]
    assert all(0 in nb[i] and len(nb[i]) == 3 for i in range(1, 7))
