"""A child's protection said on one referrals replica while a referral of the child, or of its case,
is made on another (or another record of its case names the child's number), at the same moment, on
one real store (SQLite and PostgreSQL), ADR 0032.

HTTP requests are spread over the replicas, and the placement records come on their own topic, so
two writers may meet: each has read all it needs and is about to store when the other does its
work from start to end.  Whichever stores last must not leave a referral of a protected child
reading unprotected (it is published ``protected_identity: false``, and scheduling and the case
store read it).  The one that stores last conflicts instead, and is run again on what the other
stored, nothing of its first run stored: a record by the kit's applier, a request by the kit's
command path, so the case worker is answered as if the request had come a moment later.
Referrals over HTTP with a JWT, placement records through the kit's real tracking consumer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from services.referrals.inbound import placement_consumer
from tests.component.test_referrals_http import CASE_WORKER, new_referral
from tests.component.test_referrals_later_protection_http import changed, shown
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode, placement_data, placement_started, valid_pin
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.races import storing_after

PIN = valid_pin(51)  # the number ``changed`` names
CHILD = {"pin": PIN, "protected_identity": False}
TICKED = {**CHILD, "protected_identity": True}
CASES = ("0380-RR-1", "0380-RR-2")


@dataclass
class Replica:
    app: Any
    feed: Callable[[bytes], Awaitable[None]]

    @property
    def store(self) -> Any:
        return self.app.state.runtime.app


Action = Callable[[Replica], Awaitable[int | None]]  # what one replica is asked: its answer's status


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


@asynccontextmanager
async def replica(settings: ServiceSettings) -> AsyncIterator[Replica]:
    """A referrals app on ``settings``' store, no broker; ``feed`` hands its placements consumer
    one record at a time."""
    app = create_app(settings, start_runtime=False)
    store = app.state.runtime.app
    consumer, _ = in_process_consumer(store, placement_consumer(store), "placement-records")
    try:
        yield Replica(app, fed_by_hand(consumer, PLACEMENTS))
    finally:
        store.close()


def client_of(replica: Replica) -> httpx.AsyncClient:
    """A client of its own, on the loop that uses it (the rival runs on one of its own)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=replica.app), base_url="http://referrals")


def referral(case_id: str, target: str, child: dict[str, Any]) -> Action:
    async def post(replica: Replica) -> int:
        body = new_referral(case_id=case_id, target=target, child=child)
        async with client_of(replica) as client:
            return (await client.post("/api/v1/referrals", json=body, headers=CASE_WORKER)).status_code

    return post


def record(event: dict[str, Any]) -> Action:
    async def feed(replica: Replica) -> None:
        await replica.feed(encode(event))

    return feed


async def readings(replica: Replica) -> dict[str, list[tuple[str, bool]]]:
    """(target, protected_identity) of each referral of each case, as a coordinator reads them."""
    async with client_of(replica) as client:
        return {case_id: await shown(client, case_id) for case_id in CASES}


NOTHING: list[tuple[str, bool]] = []
TICKED_ONE = referral(CASES[0], "network_centre", TICKED)
UNTICKED_ONE = referral(CASES[1], "safety_team", CHILD)  # another case of the same child
OF_THE_CASE = referral(CASES[0], "safety_team", CHILD)
PROTECTED_RECORD = record(changed(CASES[0], "P-1", protected_identity=True))
PLACED = record(placement_started(CASES[0], "P-1", pin=PIN))  # the case system places the child
BOTH_PROTECTED = {CASES[0]: [("network_centre", True)], CASES[1]: [("safety_team", True)]}
REFERRAL_RACES = {
    # which stores last, what the other does meanwhile, what the store holds once both are done
    "the ticked referral": (
        TICKED_ONE,
        UNTICKED_ONE,
        {CASES[0]: NOTHING, CASES[1]: [("safety_team", False)]},
    ),
    "the unticked referral": (
        UNTICKED_ONE,
        TICKED_ONE,
        {CASES[0]: [("network_centre", True)], CASES[1]: NOTHING},
    ),
}


@pytest.mark.parametrize("last", list(REFERRAL_RACES))
async def test_two_referrals_of_a_child_one_ticked_made_at_once_on_two_replicas_leave_no_referral_of_it_unprotected(
    store_settings: ServiceSettings, last: str
) -> None:
    """The ticked one and an unticked one of another case of the child: only the child is shared.
    The one that stores last conflicts, and is run again on what the other stored: both made, both
    protected, and the case worker never told to send it again."""
    held, rival, _ = REFERRAL_RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        raced = storing_after(first.store, lambda: rival(second))
        answer = await held(first)
        assert raced == [201]
        assert answer == 201
        for each in (first, second):
            assert await readings(each) == BOTH_PROTECTED


OF_THE_CHILD = referral(CASES[1], "safety_team", CHILD)  # another case: only the child is shared
RECORD_RACES = {
    # the referral the placement record meets, and what the store holds once both are done
    "of the case": (OF_THE_CASE, {CASES[0]: [("safety_team", True)], CASES[1]: NOTHING}),
    "of the child in another case": (OF_THE_CHILD, {CASES[0]: NOTHING, CASES[1]: [("safety_team", True)]}),
}


@pytest.mark.parametrize("referral", list(RECORD_RACES))
async def test_a_placement_record_saying_the_child_is_protected_stored_after_a_referral_of_it_was_made_marks_it(
    store_settings: ServiceSettings, referral: str
) -> None:
    """The record conflicts with the referral, and the applier runs it again on what it stored."""
    rival, in_the_end = RECORD_RACES[referral]
    async with replica(store_settings) as first, replica(store_settings) as second:
        raced = storing_after(first.store, lambda: rival(second))
        await PROTECTED_RECORD(first)
        assert raced == [201]
        for each in (first, second):
            assert await readings(each) == in_the_end


@pytest.mark.parametrize("referral", list(RECORD_RACES))
async def test_a_referral_stored_after_a_placement_record_said_its_child_is_protected_is_run_again_and_made_protected(
    store_settings: ServiceSettings, referral: str
) -> None:
    held, in_the_end = RECORD_RACES[referral]
    async with replica(store_settings) as first, replica(store_settings) as second:
        raced = storing_after(first.store, lambda: PROTECTED_RECORD(second))
        answer = await held(first)
        assert raced == [None]
        assert answer == 201
        for each in (first, second):
            assert await readings(each) == in_the_end


async def test_a_referral_made_while_the_start_of_its_cases_placement_is_stored_is_made_at_once(
    store_settings: ServiceSettings,
) -> None:
    """The everyday race (the case system places the child as the case worker refers the family):
    the automatic referral and the case worker's meet at the case's gate, and the case worker's,
    stored last, is simply run again: before, it was answered 409 (seen in an end-to-end run)."""
    async with replica(store_settings) as first, replica(store_settings) as second:
        raced = storing_after(first.store, lambda: PLACED(second))
        answer = await OF_THE_CASE(first)
        assert raced == [None]
        assert answer == 201
        for each in (first, second):
            assert await readings(each) == {
                CASES[0]: [("network_centre", False), ("safety_team", False)],  # the first automatic
                CASES[1]: NOTHING,
            }


OF_THE_LINKED_CASE = referral(CASES[1], "network_centre", {"pin": valid_pin(53), "protected_identity": False})
CHAIN_RACES = {
    # which stores last: the ticked referral, or one linked to it only through the child's other case
    "the ticked referral": (TICKED_ONE, OF_THE_LINKED_CASE),
    "the linked referral": (OF_THE_LINKED_CASE, TICKED_ONE),
}


@pytest.mark.parametrize("last", list(CHAIN_RACES))
async def test_a_referral_linked_to_a_ticked_one_only_through_another_made_at_once_on_two_replicas_reads_protected(
    store_settings: ServiceSettings, last: str
) -> None:
    """The child's referral of another case is stored; the ticked one reaches the new one through
    it (the child, then that case), and the two meet at that case's gate: the marking passes the
    gate of every key it follows, the new referral those of the keys it reads."""
    held, rival = CHAIN_RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        assert await UNTICKED_ONE(first) == 201
        raced = storing_after(first.store, lambda: rival(second))
        assert await held(first) == 201
        assert raced == [201]
        for each in (first, second):
            assert await readings(each) == {
                CASES[0]: [("network_centre", True)],
                CASES[1]: [("safety_team", True), ("network_centre", True)],
            }


CORRECTED_PIN = valid_pin(52)  # the child's number as the case system corrects it
OF_THE_CORRECTED_NUMBER = referral(
    CASES[1], "safety_team", {"pin": CORRECTED_PIN, "protected_identity": False}
)
NUMBER_CORRECTED = record(
    cloud_event("se.placement.changed.v1", placement_data(CASES[0], "P-1", pin=CORRECTED_PIN))
)
NUMBER_RACES = {
    # which stores last: each replica holds one of the partitions a faulty producer spread them over
    "the protection": (PROTECTED_RECORD, NUMBER_CORRECTED),
    "the corrected number": (NUMBER_CORRECTED, PROTECTED_RECORD),
}


@pytest.mark.parametrize("last", list(NUMBER_RACES))
async def test_a_number_named_for_a_case_while_a_record_says_its_child_is_protected_leaves_no_referral_of_it_unprotected(
    store_settings: ServiceSettings, last: str
) -> None:
    """ADR 0017's addendum: a faulty producer spreads one case's records over partitions, so a
    change naming the child's corrected number and one saying the child is protected meet on two
    replicas.  In either order a referral of the corrected number reads protected (the protection
    marks every number named for its case); at once, neither may miss the other."""
    held, rival = NUMBER_RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        await PLACED(first)
        assert await OF_THE_CORRECTED_NUMBER(first) == 201
        raced = storing_after(first.store, lambda: rival(second))
        await held(first)
        assert raced == [None]
        for each in (first, second):
            assert await readings(each) == {
                CASES[0]: [("network_centre", True)],
                CASES[1]: [("safety_team", True)],
            }
