"""A municipality's own case timeline says nothing of a shared home's events about others (ADR 0009
addendum, "internal records carry no count either"): the collaboration service's records on its
internal topic, through the case store's real tracking consumer, read over HTTP with a JWT.

Their CloudEvent ids were ``<home>.<version>`` and the timeline shows them (``source_key``): a
protected child's move-in and move-out moved the version of the home's next record about another
municipality's child.  A record republished for an event stored before the change keeps the id it
first went out with, so the case store still knows it as a repeat."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import COLLABORATION
from services.case_store.app import create_app as create_case_store
from services.case_store.inbound import consumers as case_store_consumers
from services.kit.record_ids import RECORD_KEY
from tests.component.test_collaboration_a_protected_stay_is_nothing_to_others import in_home
from tests.component.test_collaboration_case_protection_http import collaboration
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, register
from tests.conftest import make_settings
from tests.support.events import placement_ended, placement_started
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.tokens import bearer

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer
SOURCE = "/natverk/collaboration"
COORDINATOR = {**bearer(UPPSALA, ("coordinator",)), "X-Access-Purpose": "uppfoljning"}


@pytest.fixture
async def case_store(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The case store, with ``deliver(records)`` handing its collaboration consumer relayed records."""
    app = create_case_store(make_settings(tmp_path / "case_store"), start_runtime=False)
    store = app.state.runtime.app
    [spec] = [spec for spec in case_store_consumers(store) if spec.topic == COLLABORATION]
    feed = fed_by_hand(in_process_consumer(store, spec, "collaboration-records")[0], COLLABORATION)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cs") as client:
        client.deliver = feed  # type: ignore[attr-defined]
        yield client
    store.close()


async def relay(
    collaboration: httpx.AsyncClient, case_store: httpx.AsyncClient, epoch: int = 0, before_keys: bool = False
) -> None:
    """What the relay publishes on the internal topic, in store order, in relay ``epoch``; with
    ``before_keys``, as the relay before record keys published it (ids ``<aggregate>.<version>``)."""
    runtime = collaboration.app.state.runtime  # type: ignore[attr-defined]
    store = runtime.app
    for notification in store.recorder.select_notifications(1, 10_000):
        domain_event = store.mapper.to_domain_event(notification)
        for topic, envelope in runtime.publication.cloud_events(domain_event, notification.id, epoch):
            if before_keys:
                envelope = envelope.model_copy(
                    update={"id": f"{notification.originator_id}.{notification.originator_version}"}
                )
            if topic == COLLABORATION:
                await case_store.deliver(envelope.to_json_bytes())  # type: ignore[attr-defined]


async def timeline(case_store: httpx.AsyncClient, case_id: str) -> list[dict[str, Any]]:
    response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def as_compared(entries: list[dict[str, Any]], case_id: str, home_id: str) -> str:
    """The entries with what differs between two cases and homes anyway blanked: their ids, times,
    hashes (over those), and each record's own key; a count of the home's events would remain."""
    text = json.dumps(entries).replace(case_id, "<case>").replace(home_id, "<home>")
    text = re.sub(r'"(previous_hash|hash)": "[0-9a-f]+"', r'"\1": "<hash>"', text)
    text = re.sub(r'"\d{4}-\d\d-\d\dT[^"]*"', '"<time>"', text)
    return re.sub(r"<home>\.[0-9a-f]{16}\b", "<home>.<record key>", text)


async def test_a_municipality_s_timeline_cannot_count_a_protected_stay_in_a_shared_home(
    collaboration, case_store
) -> None:
    """Uppsala's children live in Västerås's homes x and y; Gävle's protected child moves into x and
    leaves; Uppsala's children then leave.  Uppsala's two timelines read alike, source keys included."""
    homes = {k: await register(collaboration, VASTERAS, f"VAS-{k}", [UPPSALA, GAVLE]) for k in "xy"}
    for k in "xy":
        await collaboration.feed(placement_started(f"0380-C-{k}", f"P-{k}", **in_home(UPPSALA, homes[k])))
    protected = {**in_home(GAVLE, homes["x"]), "protected_identity": True}
    await collaboration.feed(placement_started("2180-C-9", "G-9", **protected))
    await collaboration.feed(placement_ended("2180-C-9", "G-9", **protected))
    for k in "xy":
        await collaboration.feed(placement_ended(f"0380-C-{k}", f"P-{k}", **in_home(UPPSALA, homes[k])))
    await relay(collaboration, case_store)

    x, y = [await timeline(case_store, f"0380-C-{k}") for k in "xy"]

    assert len(x) == len(y) == 2
    assert as_compared(x, "0380-C-x", homes["x"]) == as_compared(y, "0380-C-y", homes["y"])


def store_as_before_record_keys(collaboration: httpx.AsyncClient, home_id: str, version: int) -> None:
    """The stored event as the service stored it before record keys: the upgrade does not rewrite it."""
    store = collaboration.app.state.runtime.app  # type: ignore[attr-defined]
    where = "WHERE originator_id = ? AND originator_version = ?"
    table = store.recorder.events_table_name
    connection = sqlite3.connect(store.recorder.datastore.pool.db_name)
    try:
        with connection:
            [(raw,)] = connection.execute(
                f"SELECT state FROM {table} {where}", (home_id.replace("-", ""), version)
            )
            state = json.loads(raw)
            del state[RECORD_KEY]
            connection.execute(
                f"UPDATE {table} SET state = ? {where}",
                (json.dumps(state).encode(), home_id.replace("-", ""), version),
            )
    finally:
        connection.close()


async def test_a_record_republished_for_an_event_stored_before_record_keys_is_not_a_second_entry(
    collaboration, case_store
) -> None:
    """Uppsala's child moved into a home before the upgrade, and its record went out then; the child
    leaves after it; the broker then loses the topic, twice, and the relay republishes everything."""
    home = await register(collaboration, VASTERAS, "VAS-r", [UPPSALA, GAVLE])
    await collaboration.feed(placement_started("0380-C-r", "P-r", **in_home(UPPSALA, home)))
    store_as_before_record_keys(collaboration, home, 3)  # registered, shared, occupied
    await relay(collaboration, case_store, before_keys=True)
    await collaboration.feed(placement_ended("0380-C-r", "P-r", **in_home(UPPSALA, home)))

    for epoch in (1, 2):  # a new epoch each: positions count again, ids alone tell a repeat
        await relay(collaboration, case_store, epoch)

    moved_in, left = await timeline(case_store, "0380-C-r")
    assert moved_in["source_key"] == f"{SOURCE}|{home}.3"
    assert re.fullmatch(rf"{re.escape(SOURCE)}\|{home}\.[0-9a-f]{{16}}", left["source_key"])
