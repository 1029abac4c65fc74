"""The Stockholm table and its suppression of small counts (issue 16, item 6; ADR 0024)."""

from __future__ import annotations

import random
from datetime import date

from services.case_store.domain.district_table import district_table
from services.case_store.domain.statistics import PlacementRow
from services.case_store.domain.suppression import suppressed

JAN, MAR_END = date(2026, 1, 1), date(2026, 3, 31)
TYPES = ("jourhem", "familjehem", "hvb")


def with_totals(cells: list[list[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in cells]
    return [*rows, [sum(column) for column in zip(*rows, strict=True)]]


def recovered_by_subtraction(grid: list[list[int]], hidden: set[tuple[int, int]]) -> dict:
    """What a reader works out from the shown entries: any line (row or column, total last) with a
    single unknown gives it away; solved values become known and may give away more."""
    known = {(r, c): v for r, row in enumerate(grid) for c, v in enumerate(row) if (r, c) not in hidden}
    lines = [[(r, c) for c in range(len(grid[0]))] for r in range(len(grid))]
    lines += [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]))]
    found: dict = {}
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [p for p in line if p not in known]
            if len(unknown) == 1:
                *cells, total = line
                p = unknown[0]
                known[p] = (
                    sum(known[q] for q in cells)
                    if p == total
                    else known[total] - sum(known[q] for q in cells if q != p)
                )
                found[p], progress = known[p], True
    return found


def test_counts_from_one_to_four_are_suppressed_and_zero_and_five_are_not() -> None:
    grid = with_totals([[0, 1, 4, 5], [6, 7, 8, 9]])
    hidden = suppressed(grid)
    assert {p for p in hidden if p[0] == 0} == {(0, 1), (0, 2)}  # the 0 and the 5 are shown
    assert recovered_by_subtraction(grid, hidden) == {}  # nor can the 1 and the 4 be worked out


def test_a_lone_suppressed_cell_takes_the_smallest_other_non_zero_cell_of_its_line_with_it() -> None:
    grid = with_totals([[3, 9, 20, 7], [10, 12, 30, 11]])
    hidden = suppressed(grid)
    assert (0, 3) in hidden  # 7: the smallest other non-zero cell in the 3's row
    assert (1, 0) in hidden and (1, 3) in hidden  # and then in their columns


def test_no_suppressed_value_can_be_recovered_by_subtraction_in_any_table() -> None:
    rng = random.Random(16)
    for _ in range(500):
        rows, columns = rng.randint(1, 5), rng.randint(1, 6)
        cells = [
            [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(columns)] for _ in range(rows)
        ]
        grid = with_totals(cells)
        hidden = suppressed(grid)
        assert all(grid[r][c] == 0 or grid[r][c] >= 5 for r, c in set(_all(grid)) - hidden)
        assert recovered_by_subtraction(grid, hidden) == {}, (grid, hidden)


def test_a_table_without_small_counts_shows_everything() -> None:
    assert suppressed(with_totals([[5, 0, 12], [7, 9, 0]])) == set()


def _all(grid: list[list[int]]) -> list[tuple[int, int]]:
    return [(r, c) for r in range(len(grid)) for c in range(len(grid[0]))]


def placement(case_id: str, kind: str, district: str | None, history=(), start=JAN, end=None) -> PlacementRow:
    return PlacementRow("0180", case_id, kind, start, end, None, history, district)


def test_the_table_counts_children_by_district_and_type_with_totals_and_an_unknown_district() -> None:
    rows = [placement(f"K{i}", "jourhem", "Kista") for i in range(6)]
    rows += [placement(f"S{i}", "familjehem", "Södermalm") for i in range(5)]
    rows += [placement(f"U{i}", "hvb", None) for i in range(7)]
    table = district_table(rows, JAN, MAR_END, TYPES, suppress=True)
    assert [(r.district, r.by_type, r.total) for r in table] == [
        ("Kista", {"jourhem": 6, "familjehem": 0, "hvb": 0}, 6),
        ("Södermalm", {"jourhem": 0, "familjehem": 5, "hvb": 0}, 5),
        ("okänt", {"jourhem": 0, "familjehem": 0, "hvb": 7}, 7),
        ("totalt", {"jourhem": 6, "familjehem": 5, "hvb": 7}, 18),
    ]


def test_small_counts_are_hidden_for_the_suppressed_table_and_shown_unsuppressed() -> None:
    rows = [placement(f"K{i}", "jourhem", "Kista") for i in range(8)] + [placement("K9", "hvb", "Kista")]
    rows += [placement(f"S{i}", "jourhem", "Södermalm") for i in range(6)]
    hidden = district_table(rows, JAN, MAR_END, TYPES, suppress=True)
    shown = district_table(rows, JAN, MAR_END, TYPES, suppress=False)
    assert hidden[0].by_type["hvb"] is None and shown[0].by_type["hvb"] == 1
    assert None in (hidden[0].total, hidden[0].by_type["jourhem"])  # the 1 cannot be worked out


def test_a_child_who_changed_type_counts_under_each_type_it_held_and_once_in_the_total() -> None:
    moved = placement(
        "C1", "familjehem", "Kista", history=((JAN, "jourhem"), (date(2026, 2, 1), "familjehem"))
    )
    [kista, _] = district_table([moved], JAN, MAR_END, TYPES, suppress=False)
    assert (kista.by_type["jourhem"], kista.by_type["familjehem"], kista.total) == (1, 1, 1)


def test_a_district_named_like_the_totals_row_is_told_apart_from_it() -> None:
    rows = [placement("T1", "jourhem", "totalt"), placement("K1", "jourhem", "Kista")]
    table = district_table(rows, JAN, MAR_END, TYPES, suppress=False)
    assert [r.district for r in table] == ["Kista", "totalt (district)", "totalt"]
    assert [r.total for r in table] == [1, 1, 2]
