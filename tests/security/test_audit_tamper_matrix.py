"""The tamper matrix: an insider edits the case store's database after a signed checkpoint, and
`GET /api/v1/audit/verify` names exactly what was done, per case (ADR 0019).

Real SQLite and real PostgreSQL; the store is edited behind the service's back and then read
by a freshly started service, as after a restart.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import MapperDeserialisationError

from contracts.topics import PLACEMENTS
from services.case_store.checkpoints import CHECKPOINT_FILE_NAME, IssuedCheckpoint
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.audit_checkpoint import AuditCheckpoint
from services.case_store.domain.checkpoint import ChainHead, CheckpointSummary
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.inbound import consumers
from services.kit.domain.chain import CHAIN_VERSION, link_hash
from services.kit.settings import ServiceSettings
from tests.conftest import make_settings
from tests.support.apps import case_store
from tests.support.events import encode, placement_started
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.store_sql import (
    delete_versions,
    events_table,
    execute,
    fetch,
    put_state,
    states,
    stored_id,
)
from tests.support.tokens import bearer

CASE = "0380-M1"
OPS = bearer("0380", ("ops",), subject="ops-1")
OCCURRED = datetime(2026, 11, 20, 10, tzinfo=UTC)
TIMELINE = CaseTimeline.id_for("0380", CASE)
ACCESS_LOG = CaseAccessLog.id_for("0380", CASE)
CONTENT_OR_TIME = "entry content or recording time does not match its hash"
MISSING = "no longer stored: deleted or moved since it was recorded"


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path, database_url=database_url)


@pytest.fixture
def signed(store_settings: ServiceSettings) -> ServiceSettings:
    """A case with four timeline entries (entry n is version n: the opening holds the first, ADR 0037)
    and three reads from another service, then a checkpoint."""
    with case_store(store_settings) as client:
        store = client.app.state.runtime.app
        for n in range(4):
            store.record_event(
                CASE, "0380", f"k{n}", OCCURRED, "referrals", "se.x.v1", "cw-1", f"summary {n}"
            )
        for n in range(3):
            store.record_access(
                CASE, "reader-1", "0380", "GET /x", "case work", "granted", "0380",
                service="scheduling", source_key=f"/natverk/scheduling|{n}",
            )  # fmt: skip
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 201
    return store_settings


def problems(settings: ServiceSettings) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    with case_store(settings) as client:
        response = client.get("/api/v1/audit/verify", headers=OPS)
    assert response.status_code == 200, response.text
    report = response.json()
    found = [
        (p["municipality"], p["case_id"], p["chain"], p["problem"], p["first_broken_position"], p["reason"])
        for p in report["problems"]
    ]
    return found, report


def test_an_untouched_store_verifies_against_its_checkpoint(signed: ServiceSettings) -> None:
    found, report = problems(signed)
    assert found == []
    assert report["chains_checked"] == 2 and report["checkpoint"]["chain_count"] == 2
    assert report["forged_checkpoints"] == []


def test_a_flipped_byte_in_an_entry_is_named_at_its_position(signed: ServiceSettings) -> None:
    state = states(signed, TIMELINE)[2]  # version 2: the second entry (ADR 0037)
    put_state(signed, TIMELINE, 2, {**state, "summary": "summary X"})
    assert problems(signed)[0] == [("0380", CASE, "timeline", "broken", 2, CONTENT_OR_TIME)]


def test_a_first_entry_edited_in_the_timelines_opening_is_named_at_position_one(
    signed: ServiceSettings,
) -> None:
    """The opening holds the first entry (ADR 0037): its content is chained like any other entry's."""
    opening = states(signed, TIMELINE)[1]
    assert opening["summary"] == "summary 0"
    put_state(signed, TIMELINE, 1, {**opening, "summary": "summary X"})
    assert problems(signed)[0] == [("0380", CASE, "timeline", "broken", 1, CONTENT_OR_TIME)]


def test_a_deleted_middle_entry_is_named(signed: ServiceSettings) -> None:
    delete_versions(signed, TIMELINE, 2)
    assert problems(signed)[0] == [("0380", CASE, "timeline", "broken", 2, "entry missing or out of order")]


def test_a_cut_tail_is_named_against_the_checkpoint(signed: ServiceSettings) -> None:
    delete_versions(signed, TIMELINE, 4)  # the fourth and last entry
    reason = "the checkpoint signed 4 entries, 3 are stored: tail cut"
    assert problems(signed)[0] == [("0380", CASE, "timeline", "cut", 4, reason)]


def test_an_opening_edited_to_name_another_municipality_is_named_moved_and_the_case_missing(
    signed: ServiceSettings,
) -> None:
    opening = states(signed, TIMELINE)[1]
    put_state(signed, TIMELINE, 1, {**opening, "municipality": "1980"})
    moved = "stored under another case's id (chain moved or opening edited)"
    missing = "no longer stored: deleted or moved since it was recorded"
    assert problems(signed)[0] == [
        ("0380", CASE, "timeline", "missing", None, missing),
        ("1980", CASE, "timeline", "moved", 0, moved),
    ]


def test_a_deleted_timeline_is_named_missing(signed: ServiceSettings) -> None:
    execute(
        signed, f"DELETE FROM {events_table(signed)} WHERE originator_id = ?", (stored_id(signed, TIMELINE),)
    )
    missing = "no longer stored: deleted or moved since it was recorded"
    assert problems(signed)[0] == [("0380", CASE, "timeline", "missing", None, missing)]


def test_a_timeline_moved_to_another_cases_id_is_named(signed: ServiceSettings) -> None:
    elsewhere = CaseTimeline.id_for("1980", CASE)
    execute(
        signed,
        f"UPDATE {events_table(signed)} SET originator_id = ? WHERE originator_id = ?",
        (stored_id(signed, elsewhere), stored_id(signed, TIMELINE)),
    )
    moved = "stored under another case's id (chain moved or opening edited)"
    assert problems(signed)[0] == [("0380", CASE, "timeline", "moved", 0, moved)]


def test_a_chain_re_hashed_after_an_edit_holds_together_but_not_against_the_checkpoint(
    signed: ServiceSettings,
) -> None:
    stored = states(signed, TIMELINE)
    stored[2]["summary"] = "summary X"
    previous = stored[1]["entry_hash"]
    for version in (2, 3, 4):
        entry = stored[version]
        content = {
            k: entry[k] for k in ("source_key", "occurred_at", "source", "event_type", "actor", "summary")
        }
        recorded_at = datetime.fromisoformat(entry["timestamp"]["_data_"])
        entry["previous_hash"] = previous
        entry["entry_hash"] = previous = link_hash(previous, entry["position"], recorded_at, content)
        put_state(signed, TIMELINE, version, entry)
    reason = "entry differs from the signed checkpoint: the chain was re-hashed after an edit"
    assert problems(signed)[0] == [("0380", CASE, "timeline", "rewritten", 4, reason)]


def test_an_edited_recording_time_is_named(signed: ServiceSettings) -> None:
    """``known_as_of`` filters on the recording time: moving it would hide an entry from an earlier view."""
    state = states(signed, TIMELINE)[3]  # the third entry
    later = datetime.fromisoformat(state["timestamp"]["_data_"]) + timedelta(days=30)
    put_state(
        signed, TIMELINE, 3, {**state, "timestamp": {**state["timestamp"], "_data_": later.isoformat()}}
    )
    assert problems(signed)[0] == [("0380", CASE, "timeline", "broken", 3, CONTENT_OR_TIME)]


def test_deleted_access_log_rows_are_named_in_the_middle_and_at_the_tail(signed: ServiceSettings) -> None:
    delete_versions(signed, ACCESS_LOG, 4)  # the last of three records
    reason = "the checkpoint signed 3 entries, 2 are stored: tail cut"
    assert problems(signed)[0] == [("0380", CASE, "access-log", "cut", 3, reason)]
    delete_versions(signed, ACCESS_LOG, 2)  # and the first
    assert problems(signed)[0] == [("0380", CASE, "access-log", "broken", 1, "entry missing or out of order")]


def test_an_edited_time_a_read_was_made_is_named(signed: ServiceSettings) -> None:
    """When a read was made (ADR 0035) is hashed with the rest: moving a read to another day is seen."""
    state = states(signed, ACCESS_LOG)[3]  # version 3: the second record
    put_state(signed, ACCESS_LOG, 3, {**state, "occurred_at": "2026-01-01T08:00:00+00:00"})
    assert problems(signed)[0] == [("0380", CASE, "access-log", "broken", 2, CONTENT_OR_TIME)]


def test_a_forged_checkpoint_is_named_and_the_latest_valid_one_used(signed: ServiceSettings) -> None:
    file = signed.data_dir / CHECKPOINT_FILE_NAME
    [line] = file.read_text().splitlines()
    forged = line.replace('"chain_count":2', '"chain_count":1')
    file.write_text(f"{line}\n{forged}\n")
    found, report = problems(signed)
    assert found == []
    assert report["forged_checkpoints"] == [
        {"line": 2, "issued_at": report["checkpoint"]["issued_at"], "reason": _bad_signature()}
    ]


def test_a_store_edited_since_the_checkpoint_is_not_signed_again(signed: ServiceSettings) -> None:
    delete_versions(signed, TIMELINE, 4)
    with case_store(signed) as client:
        response = client.post("/api/v1/audit/checkpoints", headers=OPS)
    assert response.status_code == 409
    assert "natverk verify" in response.json()["error"]["message"]


def _bad_signature() -> str:
    return "signature does not verify with the case store's public key"


def test_an_auditor_sees_only_its_own_municipalitys_problems(signed: ServiceSettings) -> None:
    delete_versions(signed, TIMELINE, 4)
    with case_store(signed) as client:
        other = client.get("/api/v1/audit/verify", headers=bearer("1980", ("auditor",)))
        own = client.get("/api/v1/audit/verify", headers=bearer("0380", ("auditor",)))
    assert other.json()["problems"] == [] and other.json()["chains_checked"] == 0
    assert [p["problem"] for p in own.json()["problems"]] == ["cut"]


def test_a_checkpoints_edited_heads_are_named_and_no_checkpoint_is_trusted_instead(
    signed: ServiceSettings,
) -> None:
    [heads_file] = (signed.data_dir / f"{CHECKPOINT_FILE_NAME}.heads").iterdir()
    heads = json.loads(heads_file.read_text())
    heads[0]["length"] = 99
    heads_file.write_text(json.dumps(heads))
    found, report = problems(signed)
    assert (found, report["checkpoint"]) == ([], None)
    [forged] = report["forged_checkpoints"]
    assert (forged["line"], forged["reason"]) == (1, "its chain heads do not match its signed Merkle root")


def _unreadable(settings: ServiceSettings, aggregate_id: Any, version: int) -> None:
    """The stored bytes of one event cut short: they no longer decode at all."""
    [(state,)] = fetch(
        settings,
        f"SELECT state FROM {events_table(settings)} WHERE originator_id = ? AND originator_version = ?",
        (stored_id(settings, aggregate_id), version),
    )
    changed = execute(
        settings,
        f"UPDATE {events_table(settings)} SET state = ? WHERE originator_id = ? AND originator_version = ?",
        (bytes(state)[:-5], stored_id(settings, aggregate_id), version),
    )
    assert changed == 1


def test_an_opening_that_no_longer_decodes_is_named_and_the_other_chains_still_checked(
    signed: ServiceSettings,
) -> None:
    """It was a 500 for the whole check (and for every case's timeline)."""
    _unreadable(signed, TIMELINE, 1)
    found, report = problems(signed)
    assert found == [
        ("", "", "timeline", "broken", 0, "opening unreadable: stored bytes were altered"),
        ("0380", CASE, "timeline", "missing", None, MISSING),
    ]
    assert report["chains_checked"] == 3  # that one, the case's access log (sound), the one signed


def test_an_entry_that_no_longer_decodes_is_named_at_its_position(signed: ServiceSettings) -> None:
    _unreadable(signed, TIMELINE, 2)  # the second entry
    [(municipality, case_id, chain, problem, position, _)] = problems(signed)[0]
    assert (municipality, case_id, chain, problem, position) == ("0380", CASE, "timeline", "broken", 2)


def test_a_store_that_cannot_be_read_answers_503_store_unreadable_not_500(signed: ServiceSettings) -> None:
    _unreadable(signed, TIMELINE, 1)
    with case_store(signed) as client:
        answer = client.get(f"/api/v1/cases/{CASE}-other/timeline", headers=bearer("0380", ("coordinator",)))
    assert (answer.status_code, answer.json()["error"]["code"]) == (503, "store_unreadable")


def test_a_record_that_arrives_while_the_store_cannot_be_read_waits_and_is_not_dropped(
    signed: ServiceSettings,
) -> None:
    """Its partition waits (redelivered; the lag alerts) where the record was retried and then
    skipped as if it were bad: every placement behind it was lost to the case store."""
    _unreadable(signed, TIMELINE, 1)
    with case_store(signed) as client:
        store = client.app.state.runtime.app
        [placements] = [spec for spec in consumers(store) if spec.topic == PLACEMENTS]
        consumer, broker = in_process_consumer(store, placements, "unreadable")
        value = encode(placement_started(f"{CASE}-next", "P-next"))
        message = FakeMessage((FakeRecord(value, offset=1, topic=PLACEMENTS),))
        with pytest.raises(MapperDeserialisationError):
            asyncio.run(consumer.handle([value], message))  # type: ignore[arg-type]
        consumed = client.get("/metrics").text
    assert broker.published == []
    assert 'outcome="skipped_invalid"' not in consumed and 'outcome="dead_lettered"' not in consumed


def test_an_unchained_access_record_inserted_before_the_chain_dated_before_its_log_began_is_named(
    signed: ServiceSettings,
) -> None:
    """Records stored before chains began (ADR 0019) are shown outside the chain; one forged to look
    like them, framing someone for a read, passed as genuine."""
    stored = states(signed, ACCESS_LOG)
    for version in sorted(stored, reverse=True)[:-1]:  # every record one place on, the opening stays
        execute(
            signed,
            f"UPDATE {events_table(signed)} SET originator_version = ? "
            "WHERE originator_id = ? AND originator_version = ?",
            (version + 1, stored_id(signed, ACCESS_LOG), version),
        )
    forged = {**stored[2], "actor": "someone-framed", "purpose": "curiosity", "chain": 1, "position": 0}
    forged |= {"previous_hash": "", "entry_hash": "", "source_key": "local:forged"}
    forged["timestamp"] = {**forged["timestamp"], "_data_": "2025-06-01T09:00:00+00:00"}
    topic = "services.case_store.domain.access_log:CaseAccessLog.AccessRecorded"
    execute(
        signed,
        f"INSERT INTO {events_table(signed)} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
        (stored_id(signed, ACCESS_LOG), 2, topic, json.dumps(forged).encode()),
    )
    reason = "an unchained access record dated before its log began: inserted since"
    assert problems(signed)[0] == [("0380", CASE, "access-log", "broken", 1, reason)]


# -- Access records stored before chaining (ADR 0034) ---------------------------------------------
# Such records (``chain`` 1) are outside the chain; a checkpoint now signs their count and a running
# hash over them per access log, so that one forged among them (framing someone for a read), one
# deleted or one edited is named once a checkpoint has signed the log.

OLDER_READ = "services.case_store.domain.access_log:CaseAccessLog.AccessRecorded"


def _older_reads(store: Any, case_id: str, count: int) -> None:
    """``count`` reads stored the way the case store stored them before ADR 0019: without a chain."""
    log = CaseAccessLog.start(CaseAccessLog.id_for("0380", case_id), case_id, "0380")
    for n in range(count):
        log.trigger_event(
            CaseAccessLog.AccessRecorded, source_key=f"local:older-{n}", actor=f"older-reader-{n}",
            actor_municipality="0380", service="case_store", resource="GET /x", purpose="case work",
            outcome="granted",
        )  # fmt: skip
    store.save(log)


def _chained_reads(store: Any, count: int) -> None:
    for _ in range(count):
        store.record_access(CASE, "reader-1", "0380", "GET /x", "case work", "granted", "0380")


@pytest.fixture
def older_reads(store_settings: ServiceSettings) -> ServiceSettings:
    """A case whose access log began before chaining: two reads stored without a chain (versions 2 and
    3), then two chained ones (versions 4 and 5); then a checkpoint."""
    with case_store(store_settings) as client:
        store = client.app.state.runtime.app
        _older_reads(store, CASE, 2)
        _chained_reads(store, 2)
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 201
    return store_settings


def _insert_at(settings: ServiceSettings, version: int, state: dict[str, Any]) -> None:
    """A record stored into the case's access log at ``version``, every later one moved up a place."""
    log = stored_id(settings, ACCESS_LOG)
    for stored in sorted(states(settings, ACCESS_LOG), reverse=True):
        if stored >= version:
            execute(
                settings,
                f"UPDATE {events_table(settings)} SET originator_version = ? "
                "WHERE originator_id = ? AND originator_version = ?",
                (stored + 1, log, stored),
            )
    execute(
        settings,
        f"INSERT INTO {events_table(settings)} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
        (log, version, OLDER_READ, json.dumps(state).encode()),
    )


def _framing(genuine: dict[str, Any], timestamp: dict[str, Any]) -> dict[str, Any]:
    """A read nobody made, as a record stored before chaining, dated ``timestamp``."""
    forged = {**genuine, "actor": "someone-framed", "purpose": "curiosity", "source_key": "local:forged"}
    return forged | {"chain": 1, "position": 0, "previous_hash": "", "entry_hash": "", "timestamp": timestamp}


def _older(signed: int, stored: int, what: str) -> str:
    return (
        f"the checkpoint signed {signed} access record(s) stored before chaining, {stored} are stored: "
        f"{what} since"
    )


def test_older_reads_that_nobody_touched_verify_against_the_checkpoint(older_reads: ServiceSettings) -> None:
    found, report = problems(older_reads)
    assert found == [] and report["unchained_records_not_covered"] == 0


def test_a_read_forged_among_the_older_reads_with_a_date_from_their_window_is_named(
    older_reads: ServiceSettings,
) -> None:
    """Dated like the genuine records around it, in the window they were stored in: nothing about the
    record itself gives it away; the checkpoint's count of them does."""
    stored = states(older_reads, ACCESS_LOG)
    _insert_at(older_reads, 3, _framing(stored[2], stored[3]["timestamp"]))
    assert problems(older_reads)[0] == [
        ("0380", CASE, "access-log", "broken", None, _older(2, 3, "inserted"))
    ]


def test_an_older_read_deleted_from_the_access_log_is_named(older_reads: ServiceSettings) -> None:
    """The mirror of a forgery: a genuine read made to disappear."""
    delete_versions(older_reads, ACCESS_LOG, 2)
    assert problems(older_reads)[0] == [("0380", CASE, "access-log", "broken", None, _older(2, 1, "deleted"))]


def test_an_older_read_edited_to_name_another_reader_is_named(older_reads: ServiceSettings) -> None:
    state = states(older_reads, ACCESS_LOG)[3]
    put_state(older_reads, ACCESS_LOG, 3, {**state, "actor": "someone-framed"})
    reason = "an access record stored before chaining differs from what the checkpoint signed: edited since"
    assert problems(older_reads)[0] == [("0380", CASE, "access-log", "broken", None, reason)]


def test_a_read_forged_without_a_chain_into_a_log_that_never_had_older_reads_is_named(
    signed: ServiceSettings,
) -> None:
    """Dated exactly when the log began: inside the window an older read could stand in, so that the
    check of its date alone let it pass."""
    stored = states(signed, ACCESS_LOG)
    _insert_at(signed, 2, _framing(stored[2], stored[1]["timestamp"]))
    assert problems(signed)[0] == [("0380", CASE, "access-log", "broken", None, _older(0, 1, "inserted"))]


def test_a_read_forged_without_a_chain_into_a_log_the_checkpoint_never_signed_is_named(
    signed: ServiceSettings,
) -> None:
    """A log begun after a checkpoint began after chaining did: nothing in it was stored without a chain."""
    with case_store(signed) as client:
        _older_reads(client.app.state.runtime.app, f"{CASE}-new", 1)
    reason = (
        "1 access record(s) stored before chaining in a log no checkpoint signed: "
        "the log began after chaining did, so inserted since"
    )
    assert problems(signed)[0] == [("0380", f"{CASE}-new", "access-log", "broken", None, reason)]


def test_no_checkpoint_is_signed_over_a_read_forged_among_the_older_reads(
    older_reads: ServiceSettings,
) -> None:
    """Otherwise the next periodic checkpoint would sign the forgery's count as the truth."""
    stored = states(older_reads, ACCESS_LOG)
    _insert_at(older_reads, 3, _framing(stored[2], stored[3]["timestamp"]))
    with case_store(older_reads) as client:
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 409


def test_no_checkpoint_is_signed_over_a_log_begun_since_that_holds_reads_without_a_chain(
    signed: ServiceSettings,
) -> None:
    with case_store(signed) as client:
        _older_reads(client.app.state.runtime.app, f"{CASE}-new", 1)
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 409


def _checkpoint_that_does_not_cover_older_reads(settings: ServiceSettings) -> None:
    """A checkpoint as the case store signed them before ADR 0034: each chain's length and last hash only."""
    with case_store(settings) as client:
        store = client.app.state.runtime.app
        heads = [ChainHead(*astuple(head)[:5]) for _, head in store.chains.heads()]
        summary = CheckpointSummary.of(datetime.now(UTC).isoformat(), store.signer.key_id, heads)
        signature = store.signer.sign(summary.signed_text())
        store.checkpoint_file.append(IssuedCheckpoint(summary, signature, heads))  # the file first, as issued
        with store.unit_of_work():
            store.save(AuditCheckpoint.issue(summary, signature))


@pytest.fixture
def older_reads_uncovered(store_settings: ServiceSettings) -> ServiceSettings:
    with case_store(store_settings) as client:
        store = client.app.state.runtime.app
        _older_reads(store, CASE, 2)
        _chained_reads(store, 2)
    _checkpoint_that_does_not_cover_older_reads(store_settings)
    return store_settings


def test_a_checkpoint_signed_before_checkpoints_covered_older_reads_still_holds_and_says_they_are_not_covered(
    older_reads_uncovered: ServiceSettings,
) -> None:
    found, report = problems(older_reads_uncovered)
    assert (found, report["forged_checkpoints"], report["unfiled_checkpoints"]) == ([], [], [])
    assert report["unchained_records_not_covered"] == 2


def test_the_next_checkpoint_after_one_that_did_not_cover_older_reads_covers_them(
    older_reads_uncovered: ServiceSettings,
) -> None:
    with case_store(older_reads_uncovered) as client:
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 201
    stored = states(older_reads_uncovered, ACCESS_LOG)
    _insert_at(older_reads_uncovered, 3, _framing(stored[2], stored[3]["timestamp"]))
    found, report = problems(older_reads_uncovered)
    assert found == [("0380", CASE, "access-log", "broken", None, _older(2, 3, "inserted"))]
    assert report["unchained_records_not_covered"] == 0


# -- Chained access records stored before they kept the time of the read (ADR 0035) ---------------


def _reads_without_read_times(store: Any, count: int) -> None:
    """``count`` chained reads stored as the case store stored them before ADR 0035: no ``occurred_at``."""
    log = CaseAccessLog.start(ACCESS_LOG, CASE, "0380")
    for n in range(count):
        content = {
            "source_key": f"local:before-{n}", "actor": f"reader-before-{n}", "actor_municipality": "0380",
            "service": "case_store", "resource": "GET /x", "purpose": "case work", "outcome": "granted",
        }  # fmt: skip
        recorded_at, position = CaseAccessLog.AccessRecorded.create_timestamp(), log.length + 1
        log.trigger_event(
            CaseAccessLog.AccessRecorded, timestamp=recorded_at, position=position, previous_hash=log.head_hash,
            entry_hash=link_hash(log.head_hash, position, recorded_at, content), chain=CHAIN_VERSION, **content,
        )  # fmt: skip
    store.save(log)


@pytest.fixture
def reads_without_read_times(store_settings: ServiceSettings) -> ServiceSettings:
    """Two chained reads stored without the time of the read, one stored with it; then a checkpoint."""
    with case_store(store_settings) as client:
        store = client.app.state.runtime.app
        _reads_without_read_times(store, 2)
        _chained_reads(store, 1)
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 201
    return store_settings


def test_reads_stored_without_the_time_of_the_read_verify_and_the_log_links_on_from_them(
    reads_without_read_times: ServiceSettings,
) -> None:
    with case_store(reads_without_read_times) as client:
        items = client.get(f"/api/v1/cases/{CASE}/access-log", headers=bearer("0380", ("auditor",))).json()
    assert [r["occurred_at"] is None for r in items["items"]] == [True, True, False]
    assert problems(reads_without_read_times)[0] == []


def test_a_read_time_added_to_a_read_stored_without_one_is_named(
    reads_without_read_times: ServiceSettings,
) -> None:
    state = states(reads_without_read_times, ACCESS_LOG)[2]  # the first record
    put_state(reads_without_read_times, ACCESS_LOG, 2, {**state, "occurred_at": "2026-01-01T08:00:00+00:00"})
    assert problems(reads_without_read_times)[0] == [
        ("0380", CASE, "access-log", "broken", 1, CONTENT_OR_TIME)
    ]
