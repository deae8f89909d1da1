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


def _line(n: int) -> list[list[int]]:
    return [[j for j in (i - 1, i + 1) if 0 <= j < n] for i in range(n)]


def test_constant_input_is_never_significant() -> None:
    # Every simulated neighbourhood equals the observed one: a tie in every permutation, which
    # is no evidence either way (esda's fold would give 1/1000 and call every unit significant).
    result = gi_star([3.0] * 40, _line(40), permutations=999, seed=2)
    np.testing.assert_array_equal(result.p_sim, np.ones(40))
    assert not result.hot.any() and not result.cold.any()


def test_one_event_among_zeros_makes_no_cold_spots(bexley) -> None:  # type: ignore[no-untyped-def]
    _, neighbours, y = bexley
    sparse = np.zeros_like(y)
    sparse[10] = 1.0  # one homicide in the borough
    result = gi_star(sparse, neighbours, permutations=999, seed=6)
    assert not result.cold.any()
    # A zero neighbourhood is matched by every draw that also misses the one event: p near 1.
    far = [i for i in range(y.size) if i != 10 and 10 not in neighbours[i]]
    assert (result.p_sim[far] > 0.9).all()
    # The unit holding the event: its own value is kept in every draw and its neighbours are
    # zeros, so every draw ties with it too (p = 1), not a hot spot of one.
    assert result.p_sim[10] == 1.0 and not result.hot.any()


def test_ties_count_against_significance_on_a_hand_counted_case() -> None:
    # Five units on a line, values 0 0 0 0 4, 999 permutations. Unit 3 (neighbours 2 and 4)
    # observes 0 + 0 + 4 = 4. Its two neighbours are redrawn from the other four units
    # {0, 0, 0, 4}: a draw holds the 4 with probability 1 - C(3,2)/C(4,2) = 1/2, giving a
    # simulated 4 (a tie), else 0. Ties count in both directions, so at_least = all draws holding
    # the 4 (about 500), at_most = all 999: p ≈ 0.5, where esda's fold gives about 0.5 as well.
    # Unit 0 (neighbour 1) observes 0; its one neighbour is drawn from {0, 0, 4, 0}: 4 with
    # probability 1/4. at_most counts the draws of 0 (about 750), at_least all 999, so p ≈ 0.75;
    # esda's fold gives min(999, 0) → 1/1000, a "cold spot" made of nothing but ties.
    result = gi_star([0, 0, 0, 0, 4], _line(5), permutations=999, seed=8)
    assert abs(result.p_sim[3] - 0.5) < 0.06
    assert abs(result.p_sim[0] - 0.75) < 0.06
    assert not result.cold.any()


def test_benjamini_hochberg_equals_scipy() -> None:
    from scipy.stats import false_discovery_control

    from crimestats.gistar import benjamini_hochberg

    rng = np.random.default_rng(11)
    for p in (rng.random(500), np.array([0.001, 0.001, 0.2, 0.2, 1.0]), np.ones(4)):
        np.testing.assert_allclose(
            benjamini_hochberg(p), false_discovery_control(p, method="bh"), rtol=1e-12
        )


def test_each_unit_draws_its_neighbours_from_the_other_units_only() -> None:
    # Seven units in a ring, one event at unit 0. Unit 0 keeps its own event and its two
    # neighbours are drawn from units 1..6, all zeros: every draw ties (p = 1). Were unit 0
    # ever drawn as its own neighbour, a simulated 2 would appear and p would fall below 1.
    ring = [[(i - 1) % 7, (i + 1) % 7] for i in range(7)]
    result = gi_star([1, 0, 0, 0, 0, 0, 0], ring, permutations=999, seed=13)
    assert result.p_sim[0] == 1.0
    # Unit 3 (neighbours 2 and 4) observes 0; a draw of two of the other six holds unit 0 with
    # probability 1 - C(5,2)/C(6,2) = 1/3, so at_most counts about 2/3 of the draws.
    assert abs(result.p_sim[3] - 2 / 3) < 0.05


def test_a_busy_area_with_quiet_neighbours_is_not_a_hot_spot_by_its_lower_tail() -> None:
    # A 7 x 7 grid, one area of 60 among neighbours of 0, every other area 3: the area's own
    # neighbourhood sum (60) is below what random neighbours give (60 plus eight draws from
    # areas averaging 2.5), so its permutation evidence is in the lower tail, while the
    # analytical z, which compares 60 with 9/49 of the total of 180, is positive.
    # The p-value is taken in the direction z gives, so it is large and the area is no hot spot.
    n = 7

    def around(i: int) -> list[int]:
        r, c = divmod(i, n)
        return [
            (r + dr) * n + c + dc
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            if (dr, dc) != (0, 0) and 0 <= r + dr < n and 0 <= c + dc < n
        ]

    grid = [around(i) for i in range(n * n)]
    centre = 3 * n + 3
    y = np.full(n * n, 3.0)
    y[centre] = 60.0
    y[grid[centre]] = 0.0
    assert len(grid[centre]) == 8
    result = gi_star(y, grid, permutations=999, seed=17)
    assert result.z[centre] > 0
    assert result.p_sim[centre] > 0.5
    assert not result.hot[centre]
