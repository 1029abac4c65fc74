"""The Stockholm table: children in 24-hour care in a period, by municipality x district x
placement type, with row and column totals (seed 002).

A child is counted once under each type it held during the period (for the time it held it)
and once in each total.  A placement without a district is counted under ``okänt``.  For
anyone but operations, small counts are suppressed (``suppression.py``, ADR 0024).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from services.case_store.domain.statistics import PlacementRow
from services.case_store.domain.suppression import suppressed

UNKNOWN_DISTRICT = "okänt"
ALL_DISTRICTS = "totalt"


@dataclass(frozen=True)
class DistrictRow:
    """One row: a district's counts by type and its total; None is a suppressed count."""

    municipality: str
    district: str  # ``ALL_DISTRICTS``: the municipality's column totals
    by_type: dict[str, int | None]
    total: int | None


def district_table(
    rows: list[PlacementRow], start: date, end: date, types: tuple[str, ...], suppress: bool
) -> list[DistrictRow]:
    """Per municipality (in code order): its districts (alphabetical, ``okänt`` last), then its totals."""
    if end < start:
        raise ValueError("the period ends before it starts")
    in_period = [row for row in rows if row.overlaps(start, end)]
    table: list[DistrictRow] = []
    for municipality in sorted({row.municipality for row in in_period}):
        own = [row for row in in_period if row.municipality == municipality]
        table += _municipality_rows(municipality, own, start, end, types, suppress)
    return table


def _municipality_rows(
    municipality: str, own: list[PlacementRow], start: date, end: date, types: tuple[str, ...], suppress: bool
) -> list[DistrictRow]:
    districts = sorted({_district(row) for row in own}, key=lambda d: (d == UNKNOWN_DISTRICT, d))
    children: dict[tuple[str, str], set[str]] = defaultdict(set)  # (district or ALL, type or ALL) -> cases
    for row in own:
        for place in (_district(row), ALL_DISTRICTS):
            children[(place, ALL_DISTRICTS)].add(row.case_id)
            for kind in row.types_within(start, end):
                children[(place, kind)].add(row.case_id)
    lines, columns = [*districts, ALL_DISTRICTS], [*types, ALL_DISTRICTS]
    grid = [[len(children[(line, column)]) for column in columns] for line in lines]
    hidden = suppressed(grid) if suppress else set()
    shown = [
        [None if (r, c) in hidden else grid[r][c] for c in range(len(columns))] for r in range(len(lines))
    ]
    return [
        DistrictRow(municipality, line, dict(zip(types, shown[r][:-1], strict=True)), shown[r][-1])
        for r, line in enumerate(lines)
    ]


def _district(row: PlacementRow) -> str:
    return row.district or UNKNOWN_DISTRICT
