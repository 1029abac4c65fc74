"""The Stockholm table: children in 24-hour care in a period, by municipality x district x
placement type, with row and column totals (seed 002).

A child is counted once under each type it held during the period (for the time it held it)
and once in each total.  A placement without a district is counted under ``okänt``.  For
anyone but operations, small counts are suppressed (``suppression.py``, ADR 0024).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from services.case_store.domain.statistics import KINSHIP, SUPPRESSED_SHARE, MunicipalityFigures, PlacementRow
from services.case_store.domain.suppression import small_hidden, suppressed

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
    """A real district named like the totals row is told apart from it (a placement naming the
    district ``okänt`` is, rightly, counted as unknown)."""
    name = row.district or UNKNOWN_DISTRICT
    return f"{name} (district)" if name == ALL_DISTRICTS else name


def as_the_table_shows(figures: MunicipalityFigures, table: list[DistrictRow]) -> MunicipalityFigures:
    """The municipality's figures as someone without ``ops`` may see them beside the district
    table (ADR 0024): its children and types exactly as the table's ``totalt`` row shows them (so
    the two reports together give away no more than the table), and its other counts from 1 to 4
    suppressed (None).  The kinship share is suppressed when either of its counts is."""
    [totals] = [
        row for row in table if row.municipality == figures.municipality and row.district == ALL_DISTRICTS
    ]
    by_type = {kind: totals.by_type.get(kind) for kind in figures.by_type}
    hidden_share = totals.total is None or by_type.get(KINSHIP, 0) is None
    return replace(
        figures,
        children=totals.total,
        by_type=by_type,
        breakdowns=small_hidden(figures.breakdowns),
        re_placements=small_hidden(figures.re_placements),
        home_returns=small_hidden(figures.home_returns),
        kinship_share=SUPPRESSED_SHARE if hidden_share else figures.kinship_share,
    )
