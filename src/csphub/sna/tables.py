"""A small table of counts after the one suppression policy, ready for both outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from csphub.lib.suppression import suppress


@dataclass(frozen=True)
class CountTable:
    """Row labels, column labels and each cell as it may be printed ("<5", "[c]" or a count)."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    column_totals: list[str]
    threshold: int

    @property
    def hidden(self) -> int:
        return sum(cell.startswith(("<", "[")) for _, cells in self.rows for cell in cells)


def suppressed_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int]]],
    threshold: int,
) -> CountTable:
    """COUNTS by row and column, with column totals, hidden where the policy says: small
    counts, and a partner for each where a total would let it be subtracted out."""
    grid = [list(values) for _, values in rows]
    if not grid:
        return CountTable(title, list(columns), [], ["0"] * len(columns), threshold)
    if threshold < 1:  # counts shown as published (police data; community activity)
        totals = [f"{sum(col):,}" for col in zip(*grid, strict=True)]
        shown_all = [(label, [f"{v:,}" for v in values]) for label, values in rows]
        return CountTable(title, list(columns), shown_all, totals, threshold)
    table = suppress(grid, threshold, row_totals=False, col_totals=True)
    shown = [
        (label, [table.display(r, c) for c in range(len(columns))])
        for r, (label, _) in enumerate(rows)
    ]
    totals = ["[c]" if total is None else f"{total:,}" for total in table.col_totals]
    return CountTable(title, list(columns), shown, totals, threshold)
