"""The kit's one way to page: opaque cursors made of the last item's sort key, pages picked from rows."""

from __future__ import annotations

import base64

import pytest
from pydantic import BaseModel

from services.kit.cases import CaseRef, case_refs
from services.kit.pages import (
    MAX_CURSOR_LENGTH,
    InvalidCursor,
    Page,
    Paged,
    PageRequest,
    decode_cursor,
    encode_cursor,
)


class Item(BaseModel):
    n: int

    @classmethod
    def of(cls, n: int) -> Item:
        return cls(n=n)


def walk(rows: list[int], limit: int) -> list[list[int]]:
    pages, after = [], None
    while True:
        page = PageRequest(limit, decode_cursor(encode_cursor(after))).select(rows, key=lambda n: n)
        pages.append(list(page.items))
        if page.next_key is None:
            return pages
        after = page.next_key


def test_a_list_is_walked_in_pages_of_at_most_limit_items_each_item_once() -> None:
    assert walk(list(range(1, 8)), 3) == [[1, 2, 3], [4, 5, 6], [7]]
    assert walk(list(range(1, 7)), 3) == [[1, 2, 3], [4, 5, 6]]  # no empty page after a full last one
    assert walk([], 3) == [[]]


def test_the_next_page_starts_after_the_last_items_key_not_at_an_offset() -> None:
    first = PageRequest(2).select([10, 20, 30, 40], key=lambda n: n)
    # 15 and 5 were added before the cursor, 25 after it: nothing shown is shown again, nothing skipped
    second = PageRequest(2, first.next_key).select([5, 10, 15, 20, 25, 30, 40], key=lambda n: n)
    assert (list(first.items), list(second.items)) == ([10, 20], [25, 30])


def test_cursors_of_every_sort_key_the_lists_use_survive_the_round_trip_within_200_characters() -> None:
    longest_case_id = "C" * 64
    for key in (
        2**40,
        ["2026-11-24T09:00:00.000000", "8c1c7c2e-7a43-4a55-9d52-0d8f3f1a2b3c"],
        ["0380", longest_case_id, "8c1c7c2e-7a43-4a55-9d52-0d8f3f1a2b3c"],
    ):
        cursor = encode_cursor(key)
        assert cursor is not None and len(cursor) <= MAX_CURSOR_LENGTH
        assert decode_cursor(cursor) == key


@pytest.mark.parametrize(
    "cursor",
    [
        "ZQXMARKER123",  # base64 characters, but not JSON
        "x" * (MAX_CURSOR_LENGTH + 1),
        "not a cursor!",
        base64.urlsafe_b64encode(b'{"n": 1}').decode().rstrip("="),  # JSON, but not a sort key
        base64.urlsafe_b64encode(b"true").decode().rstrip("="),
        base64.urlsafe_b64encode(b"1.5").decode().rstrip("="),
        base64.urlsafe_b64encode(b"[" * 60 + b"]" * 60).decode().rstrip("="),
        "A",
    ],
)
def test_a_cursor_no_page_gave_out_is_invalid(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as refused:
        decode_cursor(cursor)
    assert cursor not in str(refused.value)


def test_a_cursor_of_another_lists_shape_is_invalid_when_the_page_is_picked() -> None:
    with pytest.raises(InvalidCursor):
        PageRequest(2, "a text").select([1, 2, 3], key=lambda n: n)
    with pytest.raises(InvalidCursor):
        PageRequest(2, ["a", "b"]).position_after()


def test_a_page_carries_each_of_its_cases_once() -> None:
    items = [CaseRef("0380", "C-1")] * 50 + [CaseRef("1980", "C-1"), CaseRef("0380", "C-2")]
    assert case_refs(Paged(items)) == [CaseRef("0380", "C-1"), CaseRef("0380", "C-2"), CaseRef("1980", "C-1")]


def test_the_page_view_makes_each_item_with_its_view_and_an_opaque_next_cursor() -> None:
    view = Page[Item].of(Paged([1, 2], next_key=2))
    assert view.model_dump() == {"items": [{"n": 1}, {"n": 2}], "next_cursor": encode_cursor(2)}
    assert Page[Item].of(Paged([])).model_dump() == {"items": [], "next_cursor": None}
