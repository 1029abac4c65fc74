"""Walking one case's chain of a service's access records (ADR 0020), in memory."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from services.kit.domain.access_chain import (
    EDITED,
    MISSING,
    MOVED,
    OUT_OF_PLACE,
    REDATED,
    RELINKED,
    UNREADABLE,
    ChainCheck,
    check_access_chain,
)
from services.kit.domain.case_access import CaseAccess, ChainHead

START = datetime(2026, 11, 20, 10, tzinfo=UTC)


def _content(
    case_id: str = "0380-1", municipality: str = "0380", purpose: str = "case work"
) -> dict[str, str]:
    return {
        "case_id": case_id,
        "municipality": municipality,
        "actor": "staff-1",
        "actor_municipality": municipality,
        "resource": "GET /referrals/{referral_id}",
        "purpose": purpose,
        "outcome": "granted",
    }


def _chain(length: int, service: str = "referrals", **content: str) -> list[Any]:
    """The stored events of ``length`` reads of one case, linked as the kit links them."""
    records, head = [], ChainHead()
    for n in range(length):
        record = CaseAccess.record(service, head, _content(**content), START + timedelta(seconds=n))
        head = ChainHead(record.position, record.entry_hash)
        records.append(record.collect_events()[0])
    return records


def _check(records: list[Any]) -> ChainCheck:
    return check_access_chain("referrals", "0380", "0380-1", records)


def test_an_untouched_chain_holds_to_its_last_record() -> None:
    assert _check(_chain(4)) == ChainCheck(records_checked=4)


def test_an_empty_chain_holds() -> None:
    assert _check([]).ok


def test_an_edited_record_is_named_as_edited_at_its_position() -> None:
    records = _chain(4)
    records[1] = dataclasses.replace(records[1], purpose="curiosity")
    assert _check(records) == ChainCheck(1, 2, EDITED)


def test_a_re_dated_record_is_named_as_re_dated() -> None:
    records = _chain(4)
    records[2] = dataclasses.replace(records[2], timestamp=records[2].timestamp - timedelta(days=30))
    assert _check(records) == ChainCheck(2, 3, REDATED)


def test_a_missing_record_is_named_at_the_gap() -> None:
    records = _chain(4)
    records[1] = None
    assert _check(records) == ChainCheck(1, 2, MISSING)


def test_an_unreadable_record_is_named() -> None:
    records = _chain(3)
    records[0] = ValueError("not JSON")
    assert _check(records) == ChainCheck(0, 1, UNREADABLE)


def test_a_record_that_names_another_case_is_named_as_moved() -> None:
    records = _chain(3)
    records[1] = dataclasses.replace(records[1], case_id="0380-2")
    assert _check(records) == ChainCheck(1, 2, MOVED)


def test_the_same_case_id_of_another_municipality_is_another_case() -> None:
    records = _chain(2)
    records[1] = dataclasses.replace(records[1], municipality="1980")
    assert _check(records) == ChainCheck(1, 2, MOVED)


def test_another_case_s_consistent_chain_does_not_verify_as_this_one() -> None:
    assert _check(_chain(2, case_id="0380-2")) == ChainCheck(0, 1, MOVED)


def test_another_service_s_chain_of_the_same_case_breaks_at_its_first_link() -> None:
    assert _check(_chain(2, service="scheduling")) == ChainCheck(0, 1, RELINKED)


def test_a_record_stored_at_another_position_is_named() -> None:
    records = _chain(3)
    records[1], records[2] = records[2], records[1]
    assert _check(records) == ChainCheck(1, 2, OUT_OF_PLACE)


def test_a_record_replaced_by_a_rehashed_one_breaks_the_link_of_the_next() -> None:
    records = _chain(3)
    head = ChainHead(1, records[0].entry_hash)
    forged = CaseAccess.record("referrals", head, _content(purpose="curiosity"), records[1].timestamp)
    records[1] = forged.collect_events()[0]
    assert _check(records) == ChainCheck(2, 3, RELINKED)


def test_a_head_keeps_the_newest_link_and_counts_records_stored_before_chaining() -> None:
    chained = _chain(2)
    unchained = CaseAccess("0380-1", "staff-1", "0380", "GET x", "case work", "granted").collect_events()[0]
    head = ChainHead()
    for recorded in (unchained, unchained, chained[1], chained[0]):
        head = head.after(recorded)
    assert head == ChainHead(2, chained[1].entry_hash, unchained=2)


def test_a_record_without_a_chain_stored_after_a_chained_one_is_marked_as_inserted_after_that_link() -> None:
    chained = _chain(2)
    unchained = CaseAccess("0380-1", "staff-1", "0380", "GET x", "case work", "granted").collect_events()[0]
    head = ChainHead()
    for recorded in (unchained, chained[0], unchained, chained[1]):
        head = head.after(recorded)
    assert head == ChainHead(2, chained[1].entry_hash, unchained=2, unchained_after=1)


def test_each_position_of_each_case_of_each_service_has_its_own_record_id() -> None:
    ids = {
        CaseAccess.id_for(service, municipality, case_id, position)
        for service in ("referrals", "scheduling")
        for municipality in ("0380", "1980")
        for case_id in ("C-1", "C-2")
        for position in (1, 2)
    }
    assert len(ids) == 16
    assert CaseAccess.id_for("referrals", "0380", "C-1", 1) == CaseAccess.id_for(
        "referrals", "0380", "C-1", 1
    )
