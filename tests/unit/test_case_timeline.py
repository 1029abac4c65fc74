from __future__ import annotations

from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline, NewEntry, entries_in
from services.case_store.domain.verification import verify_chain
from services.kit.domain.chain import chain_genesis

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
GENESIS = chain_genesis("timeline", "0380", "0380-1")


def verify(entries: list) -> object:
    return verify_chain(entries, GENESIS)


def entry(key: str) -> NewEntry:
    return NewEntry(key, NOW, "referrals", "se.natverk.referral.received.v1", "cw-1", f"entry {key}")


def timeline_with(first: str, *keys: str) -> CaseTimeline:
    timeline = CaseTimeline.open_with_entry(
        CaseTimeline.id_for("0380", "0380-1"), "0380-1", "0380", entry(first)
    )
    for key in keys:
        timeline.append(entry(key))
    return timeline


def test_entries_are_chained_from_a_start_that_names_the_case() -> None:
    timeline = timeline_with("a", "b")
    first, second = timeline.entries
    assert first.previous_hash == GENESIS != chain_genesis("timeline", "1980", "0380-1")
    assert second.previous_hash == first.entry_hash
    assert timeline.head_hash == second.entry_hash


def test_an_event_seen_before_is_not_appended_again() -> None:
    timeline = timeline_with("a")
    assert timeline.append(NewEntry("a", NOW, "referrals", "x", "cw-1", "again")) is False
    assert len(timeline.entries) == 1


def test_an_intact_chain_verifies() -> None:
    result = verify(timeline_with("a", "b", "c").entries)
    assert result.ok and result.entries_checked == 3


def test_a_changed_summary_is_named_as_the_first_broken_link() -> None:
    entries = timeline_with("a", "b", "c").entries
    object.__setattr__(entries[1], "summary", "something else")
    result = verify(entries)
    assert (result.ok, result.first_broken_position, result.reason) == (
        False,
        2,
        "entry content or recording time does not match its hash",
    )


def test_a_removed_entry_breaks_the_chain_where_it_was() -> None:
    entries = timeline_with("a", "b", "c").entries
    result = verify([entries[0], entries[2]])
    assert (result.ok, result.first_broken_position) == (False, 2)


def test_reordered_entries_break_the_chain_at_the_first_swap() -> None:
    entries = timeline_with("a", "b", "c").entries
    result = verify([entries[0], entries[2], entries[1]])
    assert (result.ok, result.first_broken_position) == (False, 2)


def test_an_unreadable_entry_is_named() -> None:
    entries: list = list(timeline_with("a", "b").entries)
    entries[1] = ValueError("bad bytes")
    result = verify(entries)
    assert (result.ok, result.first_broken_position) == (False, 2)
    assert "unreadable" in (result.reason or "")


def test_a_case_is_its_municipality_and_case_id() -> None:
    """ADR 0016: one timeline per (municipality, case id); the text hashed never meets a legacy one."""
    assert CaseTimeline.id_for("0380", "C-1") != CaseTimeline.id_for("1980", "C-1")
    assert CaseTimeline.id_for("0380", "C-1") == uuid5(NAMESPACE_URL, "natverk:case-timeline:0380:C-1")
    assert CaseAccessLog.id_for("0380", "C-1") == uuid5(NAMESPACE_URL, "natverk:case-access-log:0380:C-1")
    # A case id may hold ':'; the legacy id of case "0380:C-1" is not (0380, "C-1")'s id.
    assert CaseTimeline.legacy_id_for("0380:C-1") != CaseTimeline.id_for("0380", "C-1")
    assert CaseTimeline.legacy_id_for("C-1") == uuid5(NAMESPACE_URL, "natverk:timeline:C-1")
    assert CaseAccessLog.legacy_id_for("C-1") == uuid5(NAMESPACE_URL, "natverk:access-log:C-1")


def test_a_new_timeline_gets_the_id_of_its_municipality_and_case_id() -> None:
    assert timeline_with("a").id == CaseTimeline.id_for("0380", "0380-1")


def test_an_access_log_stored_before_it_named_its_municipality_hides_other_municipalities_reads() -> None:
    log = CaseAccessLog.start(CaseAccessLog.legacy_id_for("C-1"), "C-1", municipality="")
    for key, actor_municipality, outcome in (
        ("a", "1980", "granted"),
        ("b", "0380", "granted"),
        ("c", "0380", "denied"),
    ):
        log.record(key, f"staff-{key}", actor_municipality, "scheduling", "GET x", "p", outcome)
    [started, *records] = log.collect_events()
    assert [r.source_key for r in records if started.concerns(r, "1980")] == ["a", "c"]
    named = CaseAccessLog(case_id="C-1", municipality="1980")
    named.record("d", "staff-d", "0380", "scheduling", "GET x", "p", "not_found")
    [started, *records] = named.collect_events()
    assert [r.source_key for r in records if started.concerns(r, "1980")] == ["d"]  # only its own case's


def test_a_timeline_is_opened_with_its_first_entry_in_one_stored_event() -> None:
    """ADR 0037: a new case's first event costs one stored event, not an opening and an entry."""
    timeline = timeline_with("a", "b")
    opened, appended = timeline.collect_events()
    assert isinstance(opened, CaseTimeline.OpenedWithEntry) and opened.originator_version == 1
    assert (opened.position, opened.previous_hash) == (1, GENESIS)
    assert appended.originator_version == 2 and appended.previous_hash == opened.entry_hash
    assert [e.source_key for e in entries_in([opened, appended])] == ["a", "b"]
    assert verify(list(entries_in([opened, appended]))).ok


def test_a_timeline_opened_before_its_entries_were_folded_in_reads_the_same() -> None:
    """A timeline stored as an opening and separate entries (before ADR 0037) keeps its entries."""
    timeline = CaseTimeline(case_id="0380-1", municipality="0380")
    timeline.append(entry("a"))
    timeline.append(entry("b"))
    opened, first, second = timeline.collect_events()
    assert type(opened) is CaseTimeline.Opened and (first.originator_version, first.position) == (2, 1)
    entries = list(entries_in([opened, first, second]))
    assert [e.source_key for e in entries] == ["a", "b"] and verify(entries).ok
