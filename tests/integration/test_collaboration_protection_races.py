"""A case's placement moving into a pool home and its protection said on a referral, at the same
moment, on two collaboration replicas of one real store (SQLite and PostgreSQL), ADR 0032.

The placement record (``ext.placements.v1``) and the referral (the referrals topic) come on two
topics, so two replicas of one consumer group may handle them at once.  Here each replica has read
all it needs and is about to store when the other handles its record from start to end: whichever
stores last must leave the child protected in the home (the home is offered no more; partners,
who read it whoever lives there, hear nothing of its protection: ADR 0009, addendum "partners read
what they were told").  Records through the kit's real tracking consumer, read over HTTP with a JWT."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path

import httpx
import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.collaboration.app import create_app
from services.collaboration.inbound import consumers
from services.kit.settings import ServiceSettings
from tests.component.test_collaboration_referral_protection_http import CASE, manual_referral
from tests.component.test_collaboration_resident_protection import in_home, owner_sees, shared_home
from tests.conftest import make_settings
from tests.support.events import encode, placement_started
from tests.support.races import replica_of, storing_after


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


def replica(settings: ServiceSettings) -> AbstractAsyncContextManager[httpx.AsyncClient]:
    """A collaboration replica (``tests.support.races``)."""
    return replica_of(create_app, consumers, settings)


MOVE_IN = encode(placement_started(CASE, "P-1", **in_home(protected_identity=False)))
REFERRAL = manual_referral(1, protected_identity=True)
RACES = {
    # which stores last: what it reads is stale by the other's whole unit of work
    "the move-in": (PLACEMENTS, MOVE_IN, REFERRALS, REFERRAL),
    "the referral's protection": (REFERRALS, REFERRAL, PLACEMENTS, MOVE_IN),
}


@pytest.mark.parametrize("last", list(RACES))
async def test_a_child_moving_into_a_pool_home_while_a_referral_says_it_is_protected_is_protected_there(
    store_settings: ServiceSettings, last: str
) -> None:
    topic, record, rival_topic, rival_record = RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        home_id = await shared_home(first)
        raced = storing_after(first.store, lambda: second.feeds[rival_topic](rival_record))  # type: ignore[attr-defined]
        await first.feeds[topic](record)  # type: ignore[attr-defined]
        assert raced == [None]  # the rival stored first, once
        for client in (first, second):
            assert await owner_sees(client, home_id) == (200, 1, False)
