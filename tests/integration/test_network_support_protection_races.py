"""A case's inquiry opening and its protection said on a referral, or on a record of another of its
placements, at the same moment, on two network_support replicas of one real store (SQLite and
PostgreSQL), ADR 0032.

The placement record (``ext.placements.v1``) and the referral (the referrals topic) come on two
topics, so two replicas of one consumer group may handle them at once.  Here each replica has read
all it needs and is about to store when the other handles its record from start to end: whichever
stores last must not leave an inquiry open (asking the child's network for a home would tell it
where a protected child is).  Records through the kit's real tracking consumer, read over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.kit.settings import ServiceSettings
from services.network_support.app import create_app
from services.network_support.inbound import consumers
from tests.component.test_network_support_placement_records_http import changed, placement, worklist
from tests.component.test_network_support_referral_protection_http import PROTECTED_INQUIRY, manual_referral
from tests.conftest import make_settings
from tests.support.events import encode, placement_started
from tests.support.races import replica_of, storing_after

TODAY = date(2026, 12, 3)


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


@asynccontextmanager
async def replica(settings: ServiceSettings) -> AsyncIterator[httpx.AsyncClient]:
    """A network_support replica (``tests.support.races``) whose today is ``TODAY``."""
    async with replica_of(create_app, consumers, settings) as client:
        client.store.today = lambda: TODAY  # type: ignore[attr-defined]
        yield client


START = encode(placement_started("C-1", "P-1", placement_type="familjehem"))
REFERRAL = manual_referral("R-1", 1)
RACES = {
    # which stores last: what it reads is stale by the other's whole unit of work
    "the inquiry's opening": (PLACEMENTS, START, REFERRALS, REFERRAL, None),
    "the referral's protection": (REFERRALS, REFERRAL, PLACEMENTS, START, PROTECTED_INQUIRY),
}


@pytest.mark.parametrize("last", list(RACES))
async def test_an_inquiry_opening_while_a_referral_says_the_child_is_protected_does_not_stay_open(
    store_settings: ServiceSettings, last: str
) -> None:
    topic, record, rival_topic, rival_record, inquiry = RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        raced = storing_after(first.store, lambda: second.feeds[rival_topic](rival_record))  # type: ignore[attr-defined]
        await first.feeds[topic](record)  # type: ignore[attr-defined]
        assert raced == [None]  # the rival stored first, once
        for client in (first, second):
            shown = await placement(client, "P-1")
            assert (shown["inquiry"], shown["protected_identity"]) == (inquiry, True)
            assert ("C-1", "network_placement_inquiry") not in await worklist(client)


SECOND_START = encode(placement_started("C-1", "P-2", placement_type="familjehem"))
CHANGED_PROTECTED = encode(changed("C-1", "P-1", placement_type="familjehem", protected_identity=True))
PLACEMENT_RACES = {
    # which stores last: each replica holds one of the partitions a faulty producer spread them over
    "the second placement's inquiry opening": (SECOND_START, CHANGED_PROTECTED, None),
    "the first placement's protection": (CHANGED_PROTECTED, SECOND_START, PROTECTED_INQUIRY),
}


@pytest.mark.parametrize("last", list(PLACEMENT_RACES))
async def test_an_inquiry_opening_while_another_placement_record_says_the_child_is_protected_does_not_stay_open(
    store_settings: ServiceSettings, last: str
) -> None:
    """ADR 0017's addendum: a faulty producer spreads one case's placement records over partitions,
    so a start of P-2 and a change of P-1 saying the child is protected meet on two replicas."""
    record, rival_record, second_inquiry = PLACEMENT_RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        await first.feeds[PLACEMENTS](START)  # type: ignore[attr-defined]  # P-1's inquiry opens
        raced = storing_after(first.store, lambda: second.feeds[PLACEMENTS](rival_record))  # type: ignore[attr-defined]
        await first.feeds[PLACEMENTS](record)  # type: ignore[attr-defined]
        assert raced == [None]  # the rival stored first, once
        for client in (first, second):
            inquiries = [(await placement(client, p))["inquiry"] for p in ("P-1", "P-2")]
            assert inquiries == [PROTECTED_INQUIRY, second_inquiry]
            assert ("C-1", "network_placement_inquiry") not in await worklist(client)
