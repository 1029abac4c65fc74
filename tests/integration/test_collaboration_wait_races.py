"""A match accepted for a case while the child's wait in an emergency home begins, at the same
moment, on two collaboration replicas of one real store (SQLite and PostgreSQL), ADR 0022 (addendum
"a wait known before the match") and ADR 0014's addendum on reruns.

The acceptance (HTTP) and the wait's jourhem start (``ext.placements.v1``) reach two replicas of
one service at once.  Here each replica has read all it needs and is about to store when the other
does its work from start to end: the acceptance saw no wait, the start saw no held place, so
neither marked the place kept by the wait, and the wait's end freed nothing.  Both now write the
case's ``EmergencyWaits``: the one stored last conflicts and runs again on what the other stored,
so the place is kept by the wait and its end frees it.  Records through the kit's real tracking
consumer, the acceptance and the readings over HTTP with a JWT."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.collaboration.app import create_app
from services.collaboration.inbound import consumers
from services.kit.settings import ServiceSettings
from tests.component.test_collaboration_case_protection_http import changed
from tests.component.test_collaboration_holds_for_their_case import CASE, started
from tests.component.test_collaboration_http import UPPSALA, VASTERAS, register
from tests.component.test_collaboration_partner_homes import accept, ask, free_places, offer
from tests.conftest import make_settings
from tests.support.events import encode, placement_ended
from tests.support.races import replica_of, storing_after

WAIT_BEGINS = encode(started(CASE, "P-1", None, "jourhem"))  # in Uppsala's own emergency home
LASTING = changed(CASE, "P-1", municipality=UPPSALA, placement_type="familjehem")
WAIT_ENDS = encode({**LASTING, "time": "2026-11-25T10:00:00Z"})  # the wait becomes the lasting home
EARLIER_WAIT = [  # the case's memory exists already: the two meet on its version, not its creation
    encode({**started(CASE, "P-0", None, "jourhem"), "time": "2026-10-01T10:00:00Z"}),
    encode({**placement_ended(CASE, "P-0", "home_return"), "time": "2026-10-20T10:00:00Z"}),
]


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


def replica(settings: ServiceSettings) -> AbstractAsyncContextManager[httpx.AsyncClient]:
    """A collaboration replica (``tests.support.races``)."""
    return replica_of(create_app, consumers, settings)


async def offered(client: httpx.AsyncClient) -> tuple[str, str, str]:
    """Västerås's one-place home offered for Uppsala's request for CASE: (home, request, offer)."""
    home_id = await register(client, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    request_id = await ask(client, CASE)
    answer = await offer(client, request_id, home_id)
    assert answer.status_code == 201, answer.text
    return home_id, request_id, answer.json()["offer_id"]


@pytest.mark.parametrize("waited_before", [False, True])
@pytest.mark.parametrize("last", ["the acceptance", "the wait's start"])
async def test_an_acceptance_and_the_waits_start_handled_at_once_by_two_replicas_still_keep_the_place_for_the_wait(
    store_settings: ServiceSettings, last: str, waited_before: bool
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        for record in EARLIER_WAIT if waited_before else []:
            await first.feeds[PLACEMENTS](record)  # type: ignore[attr-defined]
        home_id, request_id, offer_id = await offered(first)
        if last == "the acceptance":
            raced = storing_after(first.store, lambda: second.feeds[PLACEMENTS](WAIT_BEGINS))  # type: ignore[attr-defined]
            assert (await accept(first, request_id, offer_id)).status_code == 200
            assert raced == [None]  # the rival stored first, once
        else:
            raced = storing_after(first.store, lambda: accept(second, request_id, offer_id))
            await first.feeds[PLACEMENTS](WAIT_BEGINS)  # type: ignore[attr-defined]
            assert [answer.status_code for answer in raced] == [200]
        assert [await free_places(client, home_id) for client in (first, second)] == [0, 0]
        await second.feeds[PLACEMENTS](WAIT_ENDS)  # type: ignore[attr-defined]
        assert [await free_places(client, home_id) for client in (first, second)] == [1, 1]
