"""The placement statistics report (like the Stockholm table): pure functions over placement rows.

For a period: children in 24-hour care by municipality and placement type
(a child counted once per type it was in during the period, and once in the
municipality's total), placements that ended in breakdown, re-placement or
home return during the period, and the kinship (network-home) share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

KINSHIP = "natverkshem"


@dataclass(frozen=True)
class PlacementRow:
    municipality: str
    case_id: str
    placement_type: str
    start_date: date
    end_date: date | None
    end_reason: str | None

    def overlaps(self, start: date, end: date) -> bool:
        return self.start_date <= end and (self.end_date is None or self.end_date >= start)

    def ended_within(self, start: date, end: date) -> bool:
        return self.end_date is not None and start <= self.end_date <= end


@dataclass(frozen=True)
class MunicipalityFigures:
    municipality: str
    children: int
    by_type: dict[str, int]
    breakdowns: int
    re_placements: int
    home_returns: int
    kinship_share: float | None  # children in a network home / children in care; None with no children


def placement_report(rows: list[PlacementRow], start: date, end: date) -> list[MunicipalityFigures]:
    if end < start:
        raise ValueError("the period ends before it starts")
    in_period = [row for row in rows if row.overlaps(start, end)]
    figures = []
    for municipality in sorted({row.municipality for row in in_period}):
        own = [row for row in in_period if row.municipality == municipality]
        by_type: dict[str, set[str]] = defaultdict(set)
        for row in own:
            by_type[row.placement_type].add(row.case_id)
        children = {row.case_id for row in own}
        ended = [row for row in own if row.ended_within(start, end)]
        figures.append(
            MunicipalityFigures(
                municipality=municipality,
                children=len(children),
                by_type={kind: len(cases) for kind, cases in sorted(by_type.items())},
                breakdowns=sum(row.end_reason == "breakdown" for row in ended),
                re_placements=sum(row.end_reason == "re_placement" for row in ended),
                home_returns=sum(row.end_reason == "home_return" for row in ended),
                kinship_share=round(len(by_type.get(KINSHIP, set())) / len(children), 3)
                if children
                else None,
            )
        )
    return figures
