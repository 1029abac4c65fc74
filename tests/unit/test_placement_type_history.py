"""A placement's type change keeps history, so a period counts each type for the time it held
(issue 16, item 1)."""

from __future__ import annotations

from datetime import date

from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.statistics import PlacementRow, placement_report

JAN, FEB, MAR = date(2026, 1, 10), date(2026, 2, 1), date(2026, 3, 1)
JAN_END, MAR_END = date(2026, 1, 31), date(2026, 3, 31)


def record() -> PlacementRecord:
    return PlacementRecord(
        municipality="0380", case_id="C1", placement_id="P1", placement_type="jourhem", start_date=JAN
    )


def row_of(placement: PlacementRecord) -> PlacementRow:
    return PlacementRow(
        placement.municipality,
        placement.case_id,
        placement.placement_type,
        placement.start_date,
        placement.end_date,
        placement.end_reason,
        placement.history,
        placement.district,
    )


def test_a_child_in_jourhem_in_january_and_familjehem_from_february_counts_by_the_time_each_held() -> None:
    placement = record()
    placement.change_type("familjehem", FEB)
    rows = [row_of(placement)]
    [january] = placement_report(rows, date(2026, 1, 1), JAN_END)
    [march] = placement_report(rows, MAR, MAR_END)
    [quarter] = placement_report(rows, date(2026, 1, 1), MAR_END)
    assert january.by_type == {"jourhem": 1}
    assert march.by_type == {"familjehem": 1}
    assert quarter.by_type == {"familjehem": 1, "jourhem": 1} and quarter.children == 1


def test_changes_arriving_in_either_order_give_the_same_history() -> None:
    in_order, reordered = record(), record()
    in_order.change_type("familjehem", FEB)
    in_order.change_type("hvb", MAR)
    reordered.change_type("hvb", MAR)
    reordered.change_type("familjehem", FEB)
    assert in_order.history == reordered.history == ((JAN, "jourhem"), (FEB, "familjehem"), (MAR, "hvb"))


def test_a_repeated_change_changes_nothing() -> None:
    placement = record()
    assert placement.change_type("familjehem", FEB)
    assert not placement.change_type("familjehem", FEB)
    assert len(placement.collect_events()) == 2


def test_a_change_dated_after_the_placement_ended_is_ignored() -> None:
    placement = record()
    placement.end(JAN_END, "home_return")
    assert not placement.change_type("familjehem", FEB)
    assert placement.history == ((JAN, "jourhem"),)


def test_the_kinship_share_counts_a_child_in_a_network_home_only_in_periods_after_the_move() -> None:
    moved, stayed = (
        record(),
        PlacementRecord(
            municipality="0380", case_id="C2", placement_id="P2", placement_type="familjehem", start_date=JAN
        ),
    )
    moved.change_type("natverkshem", FEB)
    rows = [row_of(moved), row_of(stayed)]
    [january] = placement_report(rows, date(2026, 1, 1), JAN_END)
    [march] = placement_report(rows, MAR, MAR_END)
    assert (january.kinship_share, march.kinship_share) == (0.0, 0.5)


def test_a_type_change_is_not_a_breakdown_or_a_re_placement() -> None:
    placement = record()
    placement.change_type("familjehem", FEB)
    placement.end(MAR, "home_return")
    [quarter] = placement_report([row_of(placement)], date(2026, 1, 1), MAR_END)
    assert (quarter.breakdowns, quarter.re_placements, quarter.home_returns) == (0, 0, 1)
