"""The placement statistics report: pure functions over placement rows.

For a period: children in 24-hour care by municipality and placement type
(a child counted once per type it was in during the period, for the time it
held that type, and once in the municipality's total), placements that ended
in breakdown, re-placement or home return during the period, and the kinship
(network-home) share: children in a network home during the period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

KINSHIP = "natverkshem"
SUPPRESSED_SHARE = "*"
TypeHistory = tuple[tuple[date, str], ...]  # (from, placement type), oldest first


def with_type_from(history: TypeHistory, start: date, on: date | None, placement_type: str) -> TypeHistory:
    """``history`` with ``placement_type`` from ``on`` (never before ``start``); ``on`` None: from the
    start, replacing every type (how a change read before history was kept)."""
    if on is None:
        return ((start, placement_type),)
    day = max(on, start)
    return tuple(sorted([*((d, t) for d, t in history if d != day), (day, placement_type)]))


def type_on(history: TypeHistory, day: date) -> str:
    """The type the placement held on ``day`` (its first type before it started)."""
    held = [kind for since, kind in history if since <= day]
    return held[-1] if held else history[0][1]


@dataclass(frozen=True)
class PlacementRow:
    municipality: str
    case_id: str
    placement_type: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    history: TypeHistory = ()  # empty: ``placement_type`` throughout
    district: str | None = None

    def overlaps(self, start: date, end: date) -> bool:
        return self.start_date <= end and (self.end_date is None or self.end_date >= start)

    def types_within(self, start: date, end: date) -> set[str]:
        """Every type the placement held on some day of the period."""
        history = self.history or ((self.start_date, self.placement_type),)
        ends = [since - timedelta(days=1) for since, _ in history[1:]] + [self.end_date]
        return {
            kind
            for (since, kind), until in zip(history, ends, strict=True)
            if since <= end and (until is None or until >= start)
        }

    def ended_within(self, start: date, end: date) -> bool:
        return self.end_date is not None and start <= self.end_date <= end


@dataclass(frozen=True)
class MunicipalityFigures:
    """A municipality's figures; a count of None is suppressed (``district_table.as_the_table_shows``)."""

    municipality: str
    children: int | None
    by_type: dict[str, int | None]
    breakdowns: int | None
    re_placements: int | None
    home_returns: int | None
    # children in a network home / children in care; None with no children; SUPPRESSED_SHARE when
    # it would give a suppressed count away
    kinship_share: float | str | None


def placement_report(rows: list[PlacementRow], start: date, end: date) -> list[MunicipalityFigures]:
    if end < start:
        raise ValueError("the period ends before it starts")
    in_period = [row for row in rows if row.overlaps(start, end)]
    figures = []
    for municipality in sorted({row.municipality for row in in_period}):
        own = [row for row in in_period if row.municipality == municipality]
        by_type: dict[str, set[str]] = defaultdict(set)
        for row in own:
            for kind in row.types_within(start, end):
                by_type[kind].add(row.case_id)
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
