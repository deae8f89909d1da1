"""Small-number suppression: the one function every published table goes through.

Primary suppression hides counts from 1 to ``threshold - 1`` (shown as "<5" by default).
Secondary suppression then hides more cells wherever a published total would otherwise let a
reader recover a hidden cell by subtraction: in any row or column whose total is published,
a lone hidden cell gets a partner (the smallest other non-zero cell), or, failing that, the
total itself is hidden.  Zeros are shown: a true zero discloses nothing about a person.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, combinations

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass
class SuppressedTable:
    """A grid of counts after suppression; ``None`` marks a hidden value."""

    cells: list[list[int | None]]
    reasons: list[list[str | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    threshold: int

    def display(self, row: int, col: int) -> str:
        """What to print for one cell: the count, "<5" or "[c]" for a secondary hide."""
        value = self.cells[row][col]
        if value is not None:
            return str(value)
        return f"<{self.threshold}" if self.reasons[row][col] == PRIMARY else "[c]"

    @property
    def hidden(self) -> int:
        """How many cells are hidden."""
        return sum(v is None for row in self.cells for v in row)


def suppress(
    counts: Sequence[Sequence[int]],
    threshold: int = 5,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    hidden: Sequence[Sequence[bool]] | None = None,
) -> SuppressedTable:
    """Suppress a table of counts whose row and/or column totals are published.

    >>> t = suppress([[3, 10, 12]], col_totals=False)
    >>> [t.display(0, c) for c in range(3)], t.row_totals
    (['<5', '[c]', '12'], [25])

    ``hidden`` marks cells already hidden elsewhere (another table sharing them): they count as
    hidden here too, as secondary suppressions.

    One column with a published total is a simple list:

    >>> t = suppress([[40], [2], [0]], row_totals=False)
    >>> [t.display(r, 0) for r in range(3)]
    ['[c]', '<5', '0']
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    grid = [list(map(int, row)) for row in counts]
    if any(v < 0 for row in grid for v in row):
        raise ValueError("counts cannot be negative")
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    reasons: list[list[str | None]] = [
        [
            PRIMARY if 0 < v < threshold else SECONDARY if hidden and hidden[r][c] else None
            for c, v in enumerate(row)
        ]
        for r, row in enumerate(grid)
    ]
    hidden_row_total = [False] * n_rows
    hidden_col_total = [False] * n_cols

    def lines() -> list[tuple[list[tuple[int, int]], list[bool], int]]:
        out = []
        if row_totals:
            out += [([(r, c) for c in range(n_cols)], hidden_row_total, r) for r in range(n_rows)]
        if col_totals:
            out += [([(r, c) for r in range(n_rows)], hidden_col_total, c) for c in range(n_cols)]
        return out

    changed = True
    while changed:  # hiding a partner can expose another line, so repeat until stable
        changed = False
        for cells, total_hidden, index in lines():
            if total_hidden[index]:
                continue
            hidden_here = [rc for rc in cells if reasons[rc[0]][rc[1]] is not None]
            if len(hidden_here) != 1:
                continue
            candidates = [
                rc for rc in cells if reasons[rc[0]][rc[1]] is None and grid[rc[0]][rc[1]] > 0
            ]
            if candidates:
                r, c = min(candidates, key=lambda rc: grid[rc[0]][rc[1]])
                reasons[r][c] = SECONDARY
            else:
                total_hidden[index] = True
            changed = True

    shown: list[list[int | None]] = [
        [None if reasons[r][c] else grid[r][c] for c in range(n_cols)] for r in range(n_rows)
    ]
    rt = (
        [None if hidden_row_total[r] else sum(grid[r]) for r in range(n_rows)] if row_totals else []
    )
    ct = (
        [
            None if hidden_col_total[c] else sum(grid[r][c] for r in range(n_rows))
            for c in range(n_cols)
        ]
        if col_totals
        else []
    )
    return SuppressedTable(shown, reasons, rt, ct, threshold)


def suppress_value(count: int | None, threshold: int = 5) -> bool:
    """True when a single published count must be hidden (1 to threshold - 1).

    >>> suppress_value(3), suppress_value(0), suppress_value(5)
    (True, False, False)
    """
    if count is None or threshold < 1:
        return False
    return suppress([[count]], threshold, row_totals=False, col_totals=False).hidden == 1


def mark(reason: str | None, threshold: int = 5) -> str:
    """How a hidden value is printed: "<5" for a small count, "[c]" for a secondary hide."""
    if reason is None:
        return ""
    return f"<{threshold}" if reason == PRIMARY else "[c]"


def suppress_related(
    counts: Sequence[Mapping[str, int | None]],
    totals: Sequence[tuple[int, Sequence[int]]] = (),
    threshold: int = 5,
) -> list[dict[str, str]]:
    """Which counts to hide among related items published together (measures for one area).

    ``counts[i][key]`` is item i's count in one bucket (a period, say); ``None`` means there is
    no figure, which is never published.  Each ``(t, parts)`` in ``totals`` says that item t is
    the sum of the items ``parts`` in every bucket, so a reader could subtract: each such
    relation is a table whose total is published, suppressed with :func:`suppress` (a lone
    hidden part gets a partner, or the total is hidden too), repeated until nothing changes.
    Returns, for each item, the hidden keys and why (``PRIMARY`` or ``SECONDARY``).

    Serious violence is homicide + violence with injury + personal robbery + weapons, all
    published: a small homicide count alone would be recoverable by subtraction.

    >>> suppress_related(
    ...     [{"now": 300}, {"now": 2}, {"now": 200}, {"now": 60}, {"now": 38}],
    ...     totals=[(0, [1, 2, 3, 4])],
    ... )
    [{}, {'now': 'primary'}, {}, {}, {'now': 'secondary'}]
    """
    if threshold < 1:
        return [{} for _ in counts]
    keys = sorted(set(chain.from_iterable(counts)))
    reasons: list[dict[str, str]] = []
    for item in counts:
        values = [item.get(k) for k in keys]
        table = suppress([[v or 0 for v in values]], threshold, row_totals=False, col_totals=False)
        reasons.append({k: r for k, r in zip(keys, table.reasons[0], strict=True) if r})

    def unpublished(i: int, key: str) -> bool:
        return key in reasons[i] or counts[i].get(key) is None

    changed = True
    while changed:  # a partner hidden for one total can leave another total exposed
        changed = False
        for t, parts in totals:
            for key in keys:
                if unpublished(t, key):
                    continue
                table = suppress(
                    [[counts[p].get(key) or 0 for p in parts]],
                    threshold,
                    col_totals=False,
                    hidden=[[unpublished(p, key) for p in parts]],
                )
                for p, why in zip(parts, table.reasons[0], strict=True):
                    if why and not unpublished(p, key):
                        reasons[p][key] = SECONDARY
                        changed = True
                if table.row_totals[0] is None:
                    reasons[t][key] = SECONDARY
                    changed = True
    return reasons


def hidden_derived(hidden: Collection[str], derived: Mapping[str, Sequence[str]]) -> list[str]:
    """The derived values to hide: any worked out from a hidden count (a change from a hidden
    2019 count, with the current count shown, would give the 2019 count away).

    >>> hidden_derived({"baseline"}, {"change": ["previous", "current"], "vs_2019": ["current", "baseline"]})
    ['vs_2019']
    """
    return [name for name, inputs in derived.items() if any(i in hidden for i in inputs)]


def exact_covers(sets: Sequence[frozenset[str]], limit: int = 16) -> list[tuple[int, list[int]]]:
    """Every way one set is the disjoint union of two or more of the others.

    These are the sums a reader can subtract: feed them to :func:`suppress_related`.  Sets
    of more than ``limit`` candidate parts are searched no further (measures files are small).

    >>> exact_covers([frozenset("abc"), frozenset("a"), frozenset("bc"), frozenset("b")])
    [(0, [1, 2])]
    """
    out: list[tuple[int, list[int]]] = []
    for t, whole in enumerate(sets):
        candidates = [i for i, s in enumerate(sets) if i != t and s and s < whole]
        if len(candidates) > limit:
            candidates = candidates[:limit]
        for size in range(2, len(candidates) + 1):
            for combo in combinations(candidates, size):
                parts = [sets[i] for i in combo]
                if sum(map(len, parts)) == len(whole) and frozenset().union(*parts) == whole:
                    out.append((t, list(combo)))
    return out
