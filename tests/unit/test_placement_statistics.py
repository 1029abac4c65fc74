from __future__ import annotations

from datetime import date

import pytest

from services.case_store.domain.statistics import PlacementRow, placement_report
from services.ops import render_statistics

NOV, DEC_END = date(2026, 11, 1), date(2026, 12, 31)


def row(
    municipality: str,
    case_id: str,
    kind: str,
    start: date,
    end: date | None = None,
    reason: str | None = None,
) -> PlacementRow:
    return PlacementRow(municipality, case_id, kind, start, end, reason)


def test_children_are_counted_once_per_type_and_once_in_the_total() -> None:
    rows = [
        row("0380", "C1", "jourhem", date(2026, 10, 1), date(2026, 11, 10), "re_placement"),
        row("0380", "C1", "familjehem", date(2026, 11, 10)),
        row("0380", "C2", "natverkshem", date(2026, 11, 20)),
        row("0380", "C3", "hvb", date(2026, 1, 1), date(2026, 3, 1), "breakdown"),  # before the period
        row("1980", "C4", "familjehem", date(2026, 12, 1), date(2026, 12, 20), "home_return"),
    ]
    uppsala, vasteras = placement_report(rows, NOV, DEC_END)
    assert uppsala.municipality == "0380" and uppsala.children == 2
    assert uppsala.by_type == {"familjehem": 1, "jourhem": 1, "natverkshem": 1}
    assert (uppsala.breakdowns, uppsala.re_placements, uppsala.home_returns) == (0, 1, 0)
    assert uppsala.kinship_share == 0.5
    assert (vasteras.children, vasteras.home_returns) == (1, 1)


def test_a_placement_ending_the_day_the_period_starts_is_in_it() -> None:
    [figures] = placement_report(
        [row("2180", "C1", "jourhem", date(2026, 9, 1), NOV, "breakdown")], NOV, DEC_END
    )
    assert figures.children == 1 and figures.breakdowns == 1


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        placement_report([], DEC_END, NOV)


def test_the_report_renders_as_a_table_and_csv_with_one_column_per_type() -> None:
    report = {
        "period_from": "2026-11-01",
        "period_to": "2026-12-31",
        "municipalities": [
            {
                "municipality": "0380",
                "children": 2,
                "by_type": {"familjehem": 1, "natverkshem": 1},
                "breakdowns": 0,
                "re_placements": 1,
                "home_returns": 0,
                "kinship_share": 0.5,
            }
        ],
    }
    csv_text = render_statistics(report, "csv")
    assert csv_text.splitlines() == [
        "municipality,children,familjehem,natverkshem,breakdowns,re_placements,home_returns,kinship_share",
        "0380,2,1,1,0,1,0,50.0%",
    ]
    assert "50.0%" in render_statistics(report, "table")
