"""Small-number suppression: the one function every published table goes through.

Primary suppression hides counts from 1 to ``threshold - 1`` (shown as "<5" by default).
Secondary suppression then hides more cells wherever a published total would otherwise let a
reader recover a hidden cell by subtraction: in any row or column whose total is published,
a lone hidden cell gets a partner (the smallest other non-zero cell), or, failing that, the
total itself is hidden.  Zeros are shown: a true zero discloses nothing about a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
) -> SuppressedTable:
    """Suppress a table of counts whose row and/or column totals are published.

    >>> t = suppress([[3, 10, 12]], col_totals=False)
    >>> [t.display(0, c) for c in range(3)], t.row_totals
    (['<5', '[c]', '12'], [25])

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
        [PRIMARY if 0 < v < threshold else None for v in row] for row in grid
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
            hidden = [rc for rc in cells if reasons[rc[0]][rc[1]] is not None]
            if len(hidden) != 1:
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
    return count is not None and 0 < count < threshold
