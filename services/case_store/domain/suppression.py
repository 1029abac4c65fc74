"""Small counts in a table with totals: primary and secondary suppression (ADR 0024).

The table is a grid whose last column holds each row's total and whose last row holds each
column's total (the corner is the grand total).  Every row and every column of the grid is a
*line*: its cells add up (or, when a child is counted once in a total but under two types, at
most add up) to its last entry.

- Primary: a count from 1 to ``SMALLEST_SHOWN - 1`` is suppressed.
- Secondary: a line with exactly one suppressed entry would give it away by subtraction, so
  another entry of that line is suppressed too: the smallest other non-zero cell (ties: the
  first), else the line's total, else a zero cell.  Repeated until no line has exactly one.

So every line has no suppressed entry or at least two, and no suppressed value is the
difference of a line's shown entries.
"""

from __future__ import annotations

SMALLEST_SHOWN = 5

Position = tuple[int, int]


def small_hidden(count: int | None) -> int | None:
    """A count on its own (no line of a table): None when it is from 1 to ``SMALLEST_SHOWN - 1``."""
    return None if count is not None and 0 < count < SMALLEST_SHOWN else count


def suppressed(grid: list[list[int]]) -> set[Position]:
    """The positions of ``grid`` (totals in its last row and column) to show as suppressed."""
    hidden = {
        (r, c) for r, row in enumerate(grid) for c, value in enumerate(row) if 0 < value < SMALLEST_SHOWN
    }
    lines = _lines(grid)
    while lonely := next((line for line in lines if sum(p in hidden for p in line) == 1), None):
        partner = _partner(grid, lonely, hidden)
        if partner is None:
            break  # nothing else in the line to hide (a one-entry line cannot be recovered either)
        hidden.add(partner)
    return hidden


def _lines(grid: list[list[int]]) -> list[list[Position]]:
    """Every row and column; in each, the total is the last position."""
    rows = [[(r, c) for c in range(len(grid[r]))] for r in range(len(grid))]
    columns = [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]))] if grid else []
    return rows + columns


def _partner(grid: list[list[int]], line: list[Position], hidden: set[Position]) -> Position | None:
    *cells, total = line
    shown = [p for p in cells if p not in hidden]
    non_zero = sorted((grid[r][c], (r, c)) for r, c in shown if grid[r][c] > 0)
    if non_zero:
        return non_zero[0][1]
    if total not in hidden:
        return total
    return shown[0] if shown else None
