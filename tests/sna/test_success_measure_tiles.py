"""The Home Office success measure tiles: fed by partner extracts, per 100,000 with an exact
interval checked against values worked by hand, suppressed as casework, and never claiming a
change the exact test does not support."""

from __future__ import annotations

import pytest

from csphub.lib.disclosure import Output
from csphub.lib.periods import window
from csphub.lib.stats import rate_interval
from csphub.sna.tiles import tiles
from tests.partnerdata.conftest import import_counts
from tests.sna.conftest import BEXLEY

POPULATIONS = {"all": 250_000, "under_25": 75_000}


def _months(first: str, last: str) -> list[str]:
    return [f"{m:%Y-%m}" for m in window(f"{first}:{last}").month_list()]


def _supply(analyst, measure, per_month, first="2022-10", last="2023-09", name=None):
    rows = [[m, BEXLEY, measure, str(per_month)] for m in _months(first, last)]
    return import_counts(analyst, rows, name=name or f"{measure}-{first}.csv")


def _tile(all_tiles, measure):
    return next(t for t in all_tiles if t.measure == measure)


@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    # The exact (Garwood) 95% limits for a Poisson count, as tabulated in the public health
    # observatories' technical guide (and Ulm 1990): 0 -> 0 to 3.689, 1 -> 0.0253 to 5.572,
    # 5 -> 1.623 to 11.668, 10 -> 4.795 to 18.390.
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.623, 11.668), (10, 4.795, 18.390)],
)
def test_the_interval_is_the_exact_poisson_interval(count, lower, upper):
    r = rate_interval(count, 100_000)  # per 100,000 of 100,000: the interval of the count
    assert r.lower == pytest.approx(lower, abs=0.001)
    assert r.upper == pytest.approx(upper, abs=0.001)


def test_a_good_extract_feeds_the_tiles_with_rates_and_intervals(world, period):
    _supply(world.analyst, "sharp_object_admissions", 3)  # 36 in the window
    _supply(world.analyst, "sharp_object_admissions_under_25", 1)  # 12
    shown = tiles(BEXLEY, period, Output.PUBLICATION, POPULATIONS)
    everyone = _tile(shown, "sharp_object_admissions")
    young = _tile(shown, "sharp_object_admissions_under_25")
    assert everyone.count == "36" and young.count == "12"
    # 36 / 250,000 x 100,000 = 14.4. Byar's approximation, by hand, brackets 36 by
    # 36 (1 - 1/324 - 1.96/18)^3 = 25.21 and 37 (1 - 1/333 + 1.96/(3 sqrt 37))^3 = 49.84,
    # which the exact limits agree with to two places: x 0.4 gives 10.08 and 19.94.
    assert everyone.rate == "14.4 per 100,000"
    assert "10.1 to 19.9" in everyone.interval
    # 12 / 75,000 x 100,000 = 16.0
    assert young.rate == "16.0 per 100,000"
    assert everyone.sources and "sharp_object_admissions-2022-10.csv" in everyone.sources[0]


def test_a_change_is_claimed_only_when_the_test_supports_it(world, period):
    _supply(world.analyst, "sharp_object_admissions", 3)  # 36 this window
    _supply(world.analyst, "sharp_object_admissions", 2, "2021-10", "2022-09")  # 24 before
    _supply(world.analyst, "non_domestic_homicide", 10)  # 120 this window
    _supply(world.analyst, "non_domestic_homicide", 5, "2021-10", "2022-09")  # 60 before
    shown = tiles(BEXLEY, period, Output.PUBLICATION, POPULATIONS)
    # 24 -> 36: P(X >= 36 | n = 60, p = 1/2) doubled is about 0.15: no evidence of change.
    assert "no evidence of change" in _tile(shown, "sharp_object_admissions").comparison
    # 60 -> 120: far beyond chance (p < 0.001).
    assert "significant increase" in _tile(shown, "non_domestic_homicide").comparison


def test_a_small_count_is_hidden_with_no_rate_that_would_give_it_back(world, period):
    rows = [["2022-10", BEXLEY, "non_domestic_homicide", "2"]] + [
        [m, BEXLEY, "non_domestic_homicide", "0"] for m in _months("2022-11", "2023-09")
    ]
    import_counts(world.analyst, rows, name="homicide.csv")
    for output in (Output.INTERNAL, Output.PUBLICATION):
        tile = _tile(tiles(BEXLEY, period, output, POPULATIONS), "non_domestic_homicide")
        assert tile.count == "<5"
        assert tile.rate == "" and tile.interval == "" and tile.comparison == ""


def test_a_measure_no_extract_supplies_says_so(world, period):
    shown = tiles(BEXLEY, period, Output.INTERNAL, POPULATIONS)
    assert len(shown) == 6
    knife = _tile(shown, "knife_enabled_serious_violence")
    assert knife.count == "" and "Not supplied" in knife.note


def test_part_of_a_window_gets_no_rate(world, period):
    _supply(world.analyst, "knife_enabled_serious_violence", 9, "2022-10", "2023-03")
    tile = _tile(
        tiles(BEXLEY, period, Output.INTERNAL, POPULATIONS), "knife_enabled_serious_violence"
    )
    assert tile.count == "54"
    assert tile.rate == "" and "6 of 12 months" in tile.note


def test_times_of_day_come_from_istv_extracts_only_when_publishable(world, period):
    from csphub.sna.tiles import night_time

    assert "No ISTV extract" in night_time(BEXLEY, period, Output.PUBLICATION)
    rows = [[m, BEXLEY, "ae_assault_attendances_timed", "5"] for m in _months("2022-10", "2023-09")]
    rows += [
        [m, BEXLEY, "ae_assault_attendances_night", "2"] for m in _months("2022-10", "2023-09")
    ]
    import_counts(world.analyst, rows, name="istv-times.csv")
    # 60 timed, 24 at night (by hand: 24 / 60 = 40%), 36 by day: all clear the threshold.
    assert night_time(BEXLEY, period, Output.PUBLICATION) == (
        "Of 60 A&E attendances for assault with a recorded time, 24 (40%) were between "
        "22:00 and 06:00 (ISTV)."
    )


def test_times_of_day_are_withheld_when_the_day_count_is_small(world, period):
    from csphub.sna.tiles import night_time

    rows = [["2022-10", BEXLEY, "ae_assault_attendances_timed", "12"]]
    rows += [["2022-10", BEXLEY, "ae_assault_attendances_night", "9"]]  # 3 by day
    import_counts(world.analyst, rows, name="istv-few.csv")
    assert "Too few" in night_time(BEXLEY, period, Output.PUBLICATION)
