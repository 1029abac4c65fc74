"""The records of one fetch, through the kit's real tracking consumer into the case store's store:
records from outside share one transaction across their topic's partitions; records relayed by
another service of the system keep one per partition (each carries its partition's position)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from contracts.referrals import ReferralAcceptedV1
from contracts.topics import PLACEMENTS, REFERRALS
from services.case_store.inbound import consumers
from services.kit.cases import CaseRef
from tests.conftest import make_settings
from tests.support.apps import case_store
from tests.support.case_story import relayed
from tests.support.events import encode, placement_started
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer


def _counting_transactions(store: Any) -> list[int]:
    """How many events each stored transaction held."""
    stored: list[int] = []
    original = store._record

    def record(processing_event: Any) -> Any:
        stored.append(len(processing_event.events))
        return original(processing_event)

    store._record = record
    return stored


def _feed(store: Any, topic: str, records: list[FakeRecord]) -> Any:
    [spec] = [spec for spec in consumers(store) if spec.topic == topic]
    consumer, _ = in_process_consumer(store, spec, "fetches")
    asyncio.run(consumer.handle([r.value for r in records], FakeMessage(tuple(records))))  # type: ignore[arg-type]
    return consumer


def test_placements_fetched_from_four_partitions_are_stored_in_one_transaction(tmp_path: Path) -> None:
    with case_store(make_settings(tmp_path)) as client:
        store = client.app.state.runtime.app
        transactions = _counting_transactions(store)
        records = [
            FakeRecord(encode(placement_started(f"0380-F{n}", f"P-F{n}")), offset=n // 4, partition=n % 4)
            for n in range(12)
        ]
        consumer = _feed(store, PLACEMENTS, records)
        assert transactions == [24]  # twelve timelines opened with their entry, twelve placement records
        assert all(len(store.timeline(CaseRef("0380", f"0380-F{n}")).entries) == 1 for n in range(12))
        assert consumer.positions == {(PLACEMENTS, p): 3 for p in range(4)}


def test_relayed_records_from_two_partitions_keep_a_transaction_each_with_their_position(
    tmp_path: Path,
) -> None:
    with case_store(make_settings(tmp_path)) as client:
        store = client.app.state.runtime.app
        transactions = _counting_transactions(store)
        records = []
        for n in range(4):
            accepted = ReferralAcceptedV1(
                case_id=f"0380-R{n}", municipality="0380", referral_id=f"R-{n}", target="network_centre"
            )
            _, event = relayed("referrals", "se.natverk.referral.accepted.v1", accepted, "user:samordnare-2")
            event["sequence"] = str(n + 1)  # the referrals relay's notification id
            records.append(FakeRecord(encode(event), offset=n // 2, topic=REFERRALS, partition=n % 2))
        _feed(store, REFERRALS, records)
        assert len(transactions) == 2
        assert all(len(store.timeline(CaseRef("0380", f"0380-R{n}")).entries) == 1 for n in range(4))
