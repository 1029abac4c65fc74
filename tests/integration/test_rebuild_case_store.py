"""`natverk rebuild`: every topic the case store reads, replayed into an empty store by a reader
outside any consumer group (what the service does with it next: ``test_rebuild_hand_over.py``).

On a real broker, SQLite and PostgreSQL.  Each case is told as ``tests/support/case_story.py``
tells it: placement events and what three services relay about it, reads included.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from contracts.topics import PLACEMENTS, REFERRALS, SCHEDULING
from services.case_store.application import CaseStoreApplication
from services.case_store.checkpoints import CheckpointFile
from services.case_store.reads import TimeView
from services.case_store.signing import CheckpointSigner
from services.kit.auth import Caller
from services.kit.cases import CaseRef
from services.kit.pages import PageRequest
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from services.ops import rebuild_case_store
from tests.support.broker import produce_records
from tests.support.case_store_runs import (
    ENTRIES_PER_CASE,
    cases_in_two_municipalities,
    empty_store,
    live_store_consumes,
    stored_timelines,
)
from tests.support.case_story import stories

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
__all__ = ["empty_store"]  # the fixture, shared with the other rebuild tests


async def _groups_and_topics(bootstrap: str) -> tuple[set[str], set[str]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        groups = {group for group, _ in await admin.list_consumer_groups()}
        return groups, set(await admin.list_topics())
    finally:
        await admin.close()


async def test_a_rebuilt_case_store_holds_the_same_timelines_as_the_live_one(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    records = stories(cases_in_two_municipalities(6))
    live = await live_store_consumes(settings, records)

    rebuilt = await rebuild_case_store(empty_store)

    assert rebuilt["records"] == rebuilt["processed"] == len(records)
    assert rebuilt["timelines"] == 12 and rebuilt["broken"] == 0
    assert stored_timelines(empty_store) == live
    assert all(len(entries) == ENTRIES_PER_CASE for entries in live.values())


async def test_a_rebuild_joins_no_consumer_group(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    records = stories(cases_in_two_municipalities(1))
    await live_store_consumes(settings, records)
    groups_before, _ = await _groups_and_topics(settings.kafka_bootstrap)

    rebuilt = await rebuild_case_store(empty_store)

    assert rebuilt["processed"] == len(records)
    groups_after, _ = await _groups_and_topics(settings.kafka_bootstrap)
    assert groups_after == groups_before == {settings.consumer_group_prefix + "case_store"}


async def test_a_rebuild_counts_bad_records_and_dead_letters_none(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    records = stories(cases_in_two_municipalities(1))
    booked_elsewhere = next(value for topic, _, value in records if topic == SCHEDULING)
    wrong_type = json.loads(next(value for topic, _, value in records if topic == REFERRALS))
    wrong_type["type"] = "se.natverk.referral.reconsidered.v1"
    bad = [
        (PLACEMENTS, b"R0", b"{not json"),
        (REFERRALS, b"R0", json.dumps(wrong_type).encode()),
        (REFERRALS, b"R0", booked_elsewhere),  # a known type, but not one this topic carries
    ]
    await produce_records(settings.kafka_bootstrap, records + bad)

    rebuilt = await rebuild_case_store(empty_store)

    assert (rebuilt["processed"], rebuilt["invalid"], rebuilt["ignored"]) == (len(records), 2, 1)
    _, topics = await _groups_and_topics(settings.kafka_bootstrap)
    assert not [topic for topic in topics if topic.endswith(".dlq")]


async def test_a_rebuild_holds_every_rebuilt_chain_against_the_live_checkpoint_and_names_what_differs(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    """Same entries, other recording times: every rebuilt chain is named as differing, none as
    missing or broken, and the records the live store never published are said plainly."""
    records = stories(cases_in_two_municipalities(2))
    await live_store_consumes(settings, records)
    live = open_store(CaseStoreApplication, settings, "case_store")
    live.signer, live.checkpoint_file = (
        CheckpointSigner.from_settings(settings),
        CheckpointFile.from_settings(settings),
    )
    try:
        issued = live.issue_checkpoint()
        standing = live.checkpoint_standing()
    finally:
        live.close()

    compared = (await rebuild_case_store(empty_store, checkpoints=standing))["checkpoint"]

    assert compared["checkpoint"] == issued.summary.issued_at
    assert (compared["broken"], compared["missing"], compared["not_in_checkpoint"]) == ([], 0, 0)
    assert compared["identical"] + compared["differing"] == compared["chains"] == issued.summary.chain_count
    assert "0380/" in " ".join(compared["differing_chains"])
    assert "travel on no topic" in compared["not_restored"]


async def test_as_of_shows_the_same_history_after_a_rebuild_and_known_as_of_the_rebuilds_own_time(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    """``as_of`` filters on when things happened, which a rebuild keeps; before, it filtered on the
    recording time, and every earlier view of a rebuilt store was empty (issue 16)."""
    [(municipality, case_id), *_] = cases = cases_in_two_municipalities(1)
    await live_store_consumes(settings, stories(cases))
    before_the_rebuild = datetime.now(UTC)

    await rebuild_case_store(empty_store)

    rebuilt = open_store(CaseStoreApplication, empty_store, "case_store")
    try:
        reader = Caller("auditor-1", municipality, frozenset({"auditor"}))
        then = rebuilt.read_timeline(reader, case_id, TimeView(as_of=before_the_rebuild), PageRequest())
        known = rebuilt.read_timeline(
            reader, case_id, TimeView(known_as_of=before_the_rebuild), PageRequest()
        )
    finally:
        rebuilt.close()
    assert len(then.entries.items) == ENTRIES_PER_CASE
    assert known.entries.items == []


def _read_times(settings: ServiceSettings, municipality: str, case_id: str) -> list[tuple[str, str]]:
    store = open_store(CaseStoreApplication, settings, "case_store")
    try:
        return [(r.resource, r.occurred_at) for r in store.access_records(CaseRef(municipality, case_id))]
    finally:
        store.close()


async def test_a_rebuilt_access_log_keeps_when_each_read_was_made(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    """Before ADR 0035 a rebuild dated every read of every case to the rebuild itself."""
    [(municipality, case_id), *_] = cases = cases_in_two_municipalities(1)
    await live_store_consumes(settings, stories(cases))

    await rebuild_case_store(empty_store)

    live, rebuilt = (_read_times(s, municipality, case_id) for s in (settings, empty_store))
    assert sorted(rebuilt) == sorted(live) and len(live) >= 2
    assert {occurred_at for _, occurred_at in rebuilt} == {
        "2026-11-20T10:00:00+00:00"
    }  # as the services sent it
