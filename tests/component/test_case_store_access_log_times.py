"""The access log says when each read was made, not only when the case store got it (ADR 0035).

Reads from other services arrive through the case store's real tracking consumer, late and out
of order (another service's relay lagging, a redrive, a rebuild); the log is read over HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts import topics
from services.case_store.app import create_app
from services.case_store.application import CaseStoreApplication
from services.case_store.inbound import consumers
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.tokens import bearer

CASE = "0380-W1"
AUDITOR = bearer("0380", ("auditor",), subject="granskare-1")


@pytest.fixture
async def case_store(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cs") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def store_of(client: httpx.AsyncClient) -> CaseStoreApplication:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def read_by(actor: str, service: str, when: str) -> dict[str, Any]:
    access = {
        "case_id": CASE, "actor": actor, "actor_municipality": "0380", "service": service,
        "resource": f"GET /api/v1/cases/{CASE}", "purpose": "planering", "outcome": "granted",
        "municipality": "0380",
    }  # fmt: skip
    return cloud_event("se.natverk.case.accessed.v1", access, source=f"/natverk/{service}", time=when)


async def deliver(client: httpx.AsyncClient, topic: str, event: dict[str, Any]) -> None:
    store = store_of(client)
    [spec] = [spec for spec in consumers(store) if spec.topic == topic]
    consumer, _ = in_process_consumer(store, spec, f"access-{topic}")
    await fed_by_hand(consumer, topic)(encode(event))


async def test_reads_delivered_late_and_out_of_order_show_when_each_was_made(case_store) -> None:
    store_of(case_store).record_event(
        CASE, "0380", "k1", datetime(2026, 1, 1, tzinfo=UTC), "referrals", "se.x.v1", "cw-1", "received"
    )
    await deliver(
        case_store, topics.NETWORK_SUPPORT, read_by("late-reader", "network_support", "2026-03-02T09:00:00Z")
    )
    await deliver(
        case_store, topics.SCHEDULING, read_by("early-reader", "scheduling", "2026-01-05T08:00:00+01:00")
    )

    response = await case_store.get(f"/api/v1/cases/{CASE}/access-log", headers=AUDITOR)
    assert response.status_code == 200, response.text
    shown = {r["actor"]: r for r in response.json()["items"]}
    assert datetime.fromisoformat(shown["late-reader"]["occurred_at"]) == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert datetime.fromisoformat(shown["early-reader"]["occurred_at"]) == datetime(2026, 1, 5, 7, tzinfo=UTC)
    assert shown["early-reader"]["recorded_at"] >= shown["late-reader"]["recorded_at"]  # in arrival order


async def test_a_read_the_case_store_serves_itself_is_made_when_it_is_recorded(case_store) -> None:
    store_of(case_store).record_event(
        CASE, "0380", "k1", datetime(2026, 1, 1, tzinfo=UTC), "referrals", "se.x.v1", "cw-1", "received"
    )
    await case_store.get(f"/api/v1/cases/{CASE}/timeline", headers=bearer("0380", ("coordinator",), "cw-2"))

    response = await case_store.get(f"/api/v1/cases/{CASE}/access-log", headers=AUDITOR)
    [own] = [r for r in response.json()["items"] if r["actor"] == "cw-2"]
    assert own["occurred_at"] == own["recorded_at"]
