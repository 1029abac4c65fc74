"""Only events a service publishes carry a record key (ADR 0009 addendum, "internal records carry
no count either"): the key names a relayed record, so an event the service keeps to itself (the
case store's timelines and statistics, the bulk of its store) is stored without those bytes.

A placement goes through the case store's real tracking consumer; the stored rows are read as an
insider would.  The case store publishes one kind of event, its signed checkpoints: that one
still gets its key.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from eventsourcing.utils import get_topic

from contracts import topics
from services.case_store.app import create_app
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.audit_checkpoint import AuditCheckpoint
from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.inbound import consumers
from services.kit.record_ids import RECORD_KEY
from tests.conftest import make_settings
from tests.support.events import encode, placement_started
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.tokens import bearer

CASE = "0380-RK1"
COORDINATOR = {**bearer("0380", ("coordinator",)), "X-Access-Purpose": "uppfoljning"}


@pytest.fixture
async def case_store(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    [spec] = [spec for spec in consumers(store) if spec.topic == topics.PLACEMENTS]
    consumer, _ = in_process_consumer(store, spec, "placements")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cs") as client:
        await fed_by_hand(consumer, topics.PLACEMENTS)(encode(placement_started(CASE, "P-RK1")))
        client.database = tmp_path / "case_store.sqlite"  # type: ignore[attr-defined]
        yield client
    store.close()


def stored_states(database: Path, event_class: type) -> list[dict]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT state FROM stored_events WHERE topic = ?", (get_topic(event_class),)
        )
        return [json.loads(state) for (state,) in rows]


async def test_a_placements_timeline_entry_and_statistics_record_are_stored_without_a_record_key(
    case_store,
) -> None:
    opened = stored_states(case_store.database, CaseTimeline.OpenedWithEntry)
    started = stored_states(case_store.database, PlacementRecord.Started)

    assert len(opened) == 1 and len(started) == 1
    assert RECORD_KEY not in opened[0] and RECORD_KEY not in started[0]


async def test_a_read_of_the_case_is_stored_without_and_a_checkpoint_it_publishes_with_a_record_key(
    case_store,
) -> None:
    read = await case_store.get(f"/api/v1/cases/{CASE}/timeline", headers=COORDINATOR)
    issued = await case_store.post("/api/v1/audit/checkpoints", headers=bearer("0380", ("ops",)))

    assert (read.status_code, issued.status_code) == (200, 201)
    [access] = stored_states(case_store.database, CaseAccessLog.AccessRecorded)
    [checkpoint] = stored_states(case_store.database, AuditCheckpoint.Issued)
    assert RECORD_KEY not in access
    assert len(checkpoint[RECORD_KEY]) == 16
