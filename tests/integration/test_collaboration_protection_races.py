"""A case's placement moving into a pool home and its protection said on a referral, at the same
moment, on two collaboration replicas of one real store (SQLite and PostgreSQL), ADR 0032.

The placement record (``ext.placements.v1``) and the referral (the referrals topic) come on two
topics, so two replicas of one consumer group may handle them at once.  Here each replica has read
all it needs and is about to store when the other handles its record from start to end: whichever
stores last must not leave the home the protected child lives in visible to partners.  Records
through the kit's real tracking consumer, read over HTTP with a JWT."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.collaboration.app import create_app
from services.collaboration.inbound import consumers
from services.kit.settings import ServiceSettings
from tests.component.test_collaboration_http import UPPSALA, as_
from tests.component.test_collaboration_referral_protection_http import CASE, manual_referral
from tests.component.test_collaboration_resident_protection import in_home, partners_see, shared_home
from tests.conftest import make_settings
from tests.support.events import encode, placement_started
from tests.support.fetched import fed_by_hand, in_process_consumer

Feed = Callable[[bytes], Awaitable[None]]


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


@asynccontextmanager
async def replica(settings: ServiceSettings) -> AsyncIterator[httpx.AsyncClient]:
    """A collaboration app on ``settings``' store, no broker; ``client.feeds`` hand its placements
    and referrals consumers one record each, ``client.store`` is its store."""
    app = create_app(settings, start_runtime=False)
    store = app.state.runtime.app
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://collab")
    client.store = store  # type: ignore[attr-defined]
    client.feeds = {  # type: ignore[attr-defined]
        spec.topic: fed_by_hand(in_process_consumer(store, spec, f"{spec.topic}-news")[0], spec.topic)
        for spec in consumers(store)
    }
    try:
        yield client
    finally:
        await client.aclose()
        store.close()


def storing_after(replica: Any, rival: Feed, record: bytes) -> list[str]:
    """Make ``replica``'s next store wait, all its reads done, until ``rival`` has handled
    ``record`` in a thread of its own (another replica, its own transaction): the stale writer."""
    store = replica.store
    stores = store._store
    raced: list[str] = []

    def after_the_rival(processing_event: Any) -> Any:
        if not raced:
            raced.append("rival stored first")
            rival_thread = threading.Thread(target=asyncio.run, args=(rival(record),))
            rival_thread.start()
            rival_thread.join()
        return stores(processing_event)

    store._store = after_the_rival
    return raced


MOVE_IN = encode(placement_started(CASE, "P-1", **in_home(protected_identity=False)))
REFERRAL = manual_referral(1, protected_identity=True)
RACES = {
    # which stores last: what it reads is stale by the other's whole unit of work
    "the move-in": (PLACEMENTS, MOVE_IN, REFERRALS, REFERRAL),
    "the referral's protection": (REFERRALS, REFERRAL, PLACEMENTS, MOVE_IN),
}


@pytest.mark.parametrize("last", list(RACES))
async def test_a_child_moving_into_a_pool_home_while_a_referral_says_it_is_protected_hides_the_home(
    store_settings: ServiceSettings, last: str
) -> None:
    topic, record, rival_topic, rival_record = RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        home_id = await shared_home(first)
        raced = storing_after(first, second.feeds[rival_topic], rival_record)  # type: ignore[attr-defined]
        await first.feeds[topic](record)  # type: ignore[attr-defined]
        assert raced == ["rival stored first"]
        for client in (first, second):
            assert await partners_see(client, home_id) == [False] * 4
            own = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(UPPSALA))
            assert (own.status_code, own.json()["occupied_places"]) == (200, 1)
