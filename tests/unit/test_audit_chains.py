"""The audit chains and checkpoints (ADR 0019): what each hash binds, and the Merkle proofs."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.checkpoint import ChainHead, inclusion_proofs, merkle_root, root_from_proof
from services.case_store.domain.timeline import GENESIS_HASH, CaseTimeline, NewEntry, entry_hash
from services.case_store.domain.verification import verify_chain
from services.kit.domain.chain import chain_genesis

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


def entry(key: str, summary: str | None = None) -> NewEntry:
    return NewEntry(key, NOW, "referrals", "se.x.v1", "cw-1", summary or f"entry {key}")


def timeline(first: str, *keys: str) -> list[CaseTimeline.EntryAppended]:
    case = CaseTimeline.open_with_entry(CaseTimeline.id_for("0380", "C-1"), "C-1", "0380", entry(first))
    for key in keys:
        case.append(entry(key))
    return case.entries


def test_a_timeline_moved_to_another_municipality_breaks_at_its_first_entry() -> None:
    result = verify_chain(timeline("a", "b"), chain_genesis("timeline", "1980", "C-1"))
    assert (result.ok, result.first_broken_position) == (False, 1)
    assert "opening" in (result.reason or "")


def test_a_re_dated_entry_breaks_the_chain() -> None:
    entries = timeline("a", "b")
    entries[1] = replace(entries[1], timestamp=entries[1].timestamp + timedelta(days=1))
    result = verify_chain(entries, chain_genesis("timeline", "0380", "C-1"))
    assert (result.ok, result.first_broken_position) == (False, 2)


def test_entries_stored_before_the_recording_time_was_hashed_still_verify_and_new_ones_link_on() -> None:
    content = {"source_key": "old", "occurred_at": NOW.isoformat(), "source": "referrals"}
    content |= {"event_type": "se.x.v1", "actor": "cw-1", "summary": "old entry"}
    old = CaseTimeline.EntryAppended(
        originator_id=CaseTimeline.legacy_id_for("C-1"), originator_version=2, timestamp=NOW, position=1,
        previous_hash=GENESIS_HASH, entry_hash=entry_hash(GENESIS_HASH, 1, content), **content,
    )  # fmt: skip
    assert old.chain == 1
    case = CaseTimeline(case_id="C-1", municipality="0380")
    case.entries, case.head_hash = [old], old.entry_hash
    case.append(entry("new", "new entry"))
    result = verify_chain(case.entries, chain_genesis("timeline", "0380", "C-1"))
    assert (result.ok, result.entries_checked) == (True, 2)
    downgraded = [case.entries[1], replace(old, position=2)]
    assert not verify_chain(downgraded, chain_genesis("timeline", "0380", "C-1")).ok


def test_an_access_log_appends_at_its_tail_from_its_opening_and_last_record_alone() -> None:
    log = CaseAccessLog(case_id="C-1", municipality="0380")
    for key in ("a", "b"):
        log.record(key, "reader", "0380", "scheduling", "GET x", "p", "granted")
    started, first, second = log.collect_events()
    resumed = CaseAccessLog.at_tail(started, second)
    resumed.record("c", "reader", "0380", "scheduling", "GET x", "p", "granted")
    [third] = resumed.collect_events()
    assert (third.originator_version, third.position, third.previous_hash) == (4, 3, second.entry_hash)
    result = verify_chain([first, second, third], started.genesis())
    assert (result.ok, result.entries_checked) == (True, 3)


def test_every_head_has_a_proof_that_leads_to_the_root_and_no_other_head_passes_for_it() -> None:
    heads = [ChainHead("timeline", "0380", f"C-{n}", n, f"{n:064x}") for n in range(7)]
    root = merkle_root(heads)
    proofs = inclusion_proofs(heads, {head.chain for head in heads})
    assert all(root_from_proof(head, proofs[head.chain]) == root for head in heads)
    forged = replace(heads[3], length=99)
    assert root_from_proof(forged, proofs[heads[3].chain]) != root
    assert merkle_root(list(reversed(heads))) == root  # the order of the leaves is the heads' own


def test_a_checkpoints_root_is_the_sha256_tree_of_each_heads_canonical_json_so_roots_signed_earlier_still_hold() -> (
    None
):
    # Written out by hand, not computed by the code under test: a faster leaf must hash the same bytes.
    timeline_leaf = (
        b'{"case_id":"C-\xc3\xa5","head":"'
        + b"ab" * 32
        + b'","kind":"timeline","length":3,"municipality":"0380"}'
    )
    access_leaf = (
        b'{"case_id":"C-1","head":"' + b"cd" * 32 + b'","kind":"access-log","length":2,"municipality":"0380",'
        b'"unchained_hash":"' + b"ef" * 32 + b'","unchained_records":1}'
    )
    leaves = sorted(
        [(("access-log", "0380", "C-1"), access_leaf), (("timeline", "0380", "C-å"), timeline_leaf)]
    )
    left, right = (hashlib.sha256(b"\x00" + leaf).digest() for _, leaf in leaves)
    expected = hashlib.sha256(b"\x01" + left + right).hexdigest()

    heads = [
        ChainHead("timeline", "0380", "C-å", 3, "ab" * 32),
        ChainHead("access-log", "0380", "C-1", 2, "cd" * 32, 1, "ef" * 32),
    ]

    assert merkle_root(heads) == expected
