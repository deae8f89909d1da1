"""Primary and secondary suppression: hidden cells cannot be recovered from published totals."""

from __future__ import annotations

import itertools

import pytest

from crimestats.suppression import (
    PRIMARY,
    SECONDARY,
    exact_covers,
    hidden_derived,
    suppress,
    suppress_related,
)


def _recoverable(table, row_totals: bool, col_totals: bool) -> bool:  # type: ignore[no-untyped-def]
    """True when some line with a published total has exactly one hidden cell."""
    lines = []
    if row_totals:
        lines += [(table.cells[r], table.row_totals[r]) for r in range(len(table.cells))]
    if col_totals:
        for c in range(len(table.cells[0])):
            lines.append(([row[c] for row in table.cells], table.col_totals[c]))
    return any(total is not None and sum(v is None for v in line) == 1 for line, total in lines)


def test_primary_hides_one_to_four_but_not_zero() -> None:
    t = suppress([[0, 1, 4, 5]], row_totals=False, col_totals=False)
    assert [t.display(0, c) for c in range(4)] == ["0", "<5", "<5", "5"]


def test_lone_hidden_cell_gets_a_partner() -> None:
    t = suppress([[3, 10, 12]], col_totals=False)
    assert t.cells == [[None, None, 12]]
    assert t.row_totals == [25]
    assert t.display(0, 1) == "[c]"


def test_two_way_table_is_safe_in_every_line() -> None:
    counts = [[20, 3, 15], [12, 30, 8], [9, 14, 40]]
    t = suppress(counts)
    assert t.cells[0][1] is None
    assert not _recoverable(t, True, True)
    assert t.hidden >= 4  # the 3 forces a partner in its row and its column, then a fourth


@pytest.mark.parametrize("seed", range(20))
def test_random_tables_never_leak(seed: int) -> None:
    import random

    rng = random.Random(seed)
    counts = [[rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40]) for _ in range(4)] for _ in range(5)]
    t = suppress(counts)
    assert not _recoverable(t, True, True)
    for r, c in itertools.product(range(5), range(4)):
        if 0 < counts[r][c] < 5:
            assert t.cells[r][c] is None


def test_line_of_zeros_hides_the_total_instead() -> None:
    t = suppress([[2, 0, 0]], col_totals=False)
    assert t.cells == [[None, 0, 0]]
    assert t.row_totals == [None]


def test_threshold_is_configurable() -> None:
    t = suppress([[9, 30]], threshold=10, col_totals=False)
    assert t.display(0, 0) == "<10"


def test_a_count_that_is_the_sum_of_published_counts_protects_its_parts() -> None:
    # Item 0 is items 1 + 2 + 3 in both buckets; item 1 is small in "b".
    counts = [{"a": 60, "b": 40}, {"a": 20, "b": 3}, {"a": 25, "b": 17}, {"a": 15, "b": 20}]
    hidden = suppress_related(counts, [(0, [1, 2, 3])])
    assert hidden == [{}, {"b": PRIMARY}, {"b": SECONDARY}, {}]


def test_a_total_with_nothing_to_pair_is_hidden_itself() -> None:
    hidden = suppress_related([{"a": 2}, {"a": 2}, {"a": 0}], [(0, [1, 2])])
    assert hidden == [{"a": PRIMARY}, {"a": PRIMARY}, {}]
    hidden = suppress_related([{"a": 9}, {"a": 3}, {"a": 6}, {"a": 0}], [(0, [1, 3])])
    assert hidden[0] == {"a": SECONDARY}  # 9 = 3 + 0: only the total can hide the 3


@pytest.mark.parametrize("seed", range(20))
def test_related_counts_never_leak_through_a_sum(seed: int) -> None:
    import random

    rng = random.Random(seed)
    parts = [{"a": rng.choice([0, 1, 3, 7, 20, 90])} for _ in range(5)]
    counts = [{"a": sum(p["a"] for p in parts)}, *parts]
    hidden = suppress_related(counts, [(0, [1, 2, 3, 4, 5])])
    shown_total = "a" not in hidden[0]
    hidden_parts = [i for i in range(1, 6) if "a" in hidden[i]]
    assert not (shown_total and len(hidden_parts) == 1)
    assert all("a" in hidden[i] for i in range(1, 6) if 0 < counts[i]["a"] < 5)


def test_derived_values_follow_their_counts() -> None:
    derived = {"change": ("previous", "current"), "vs_2019": ("current", "baseline")}
    assert hidden_derived({"baseline"}, derived) == ["vs_2019"]
    assert hidden_derived({"current"}, derived) == ["change", "vs_2019"]
    assert hidden_derived(set(), derived) == []


def test_serious_violence_is_found_as_a_sum_of_the_shipped_measures() -> None:
    from crimestats.measures import load_measures

    ms = list(load_measures())
    ids = [m.id for m in ms]
    cats = [frozenset(m.selectors.get("mps_2023", ())) for m in ms]
    covers = {(ids[t], tuple(sorted(ids[p] for p in parts))) for t, parts in exact_covers(cats)}
    assert (
        "serious_violence",
        ("homicide", "personal_robbery", "possession_of_weapons", "violence_with_injury"),
    ) in covers
