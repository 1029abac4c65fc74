"""A page costs the same in a store of 500 items as in one of 10: the page is picked from the index
rows (or read as a slice of a case's log) before anything is loaded, and only its items are."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.case_store.app import create_app as create_case_store
from services.collaboration.app import create_app as create_collaboration
from services.collaboration.commands import NewHome
from services.kit.auth import Caller
from services.referrals.app import create_app as create_referrals
from services.referrals.commands import NewReferral
from tests.component.test_referrals_http import new_referral
from tests.support.paging import Counting, Serve, services
from tests.support.tokens import bearer

READER = bearer("0380", ("coordinator", "auditor", "family_home_consultant"), subject="reader-1")
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[Serve]:
    async with services(tmp_path) as serving:
        yield serving


async def test_a_page_of_10_referrals_loads_10_however_many_the_store_holds(serve, monkeypatch) -> None:
    client = await serve(create_referrals)
    store, caller = client.store, Caller("cw-1", "0380", frozenset({"case_worker"}))
    with store.unit_of_work():
        for n in range(500):
            store.create_referral(caller, NewReferral.model_validate(new_referral(case_id=f"0380-{n}")))
    await client.get("/api/v1/referrals", params={"limit": 1}, headers=READER)  # the index is caught up
    gets = Counting(monkeypatch, store.repository, "get")
    page = await client.get("/api/v1/referrals", params={"limit": 10}, headers=READER)
    assert len(page.json()["items"]) == 10 and gets.calls == 10


async def test_a_page_of_10_family_homes_loads_10_however_many_the_pool_holds(serve, monkeypatch) -> None:
    client = await serve(create_collaboration)
    store, caller = client.store, Caller("fc-1", "0380", frozenset({"family_home_consultant"}))
    with store.unit_of_work():
        for n in range(500):
            home = {"register_id": f"FH-{n}", "kind": "recruited", "capacity": 1, "age_min": 0, "age_max": 17}
            store.register_home(caller, NewHome.model_validate(home))
    await client.get("/api/v1/family-homes", params={"limit": 1}, headers=READER)
    gets = Counting(monkeypatch, store.repository, "get")
    page = await client.get("/api/v1/family-homes", params={"limit": 10}, headers=READER)
    assert len(page.json()["items"]) == 10 and gets.calls == 10


@pytest.mark.parametrize("log", ["timeline", "access-log"])
async def test_a_page_of_10_entries_of_a_long_case_log_reads_a_page_not_the_log(
    serve, monkeypatch, log
) -> None:
    client = await serve(create_case_store)
    store = client.store
    with store.unit_of_work():
        for n in range(500):
            store.record_event("0380-L1", "0380", f"k{n}", NOW, "referrals", "se.x.v1", "cw", f"s{n}")
            store.record_access("0380-L1", "cw", "0380", "GET x", "case work", "granted", "0380")
    url = f"/api/v1/cases/0380-L1/{log}"
    await client.get(url, params={"limit": 1}, headers=READER)  # the indexes are caught up
    # The read itself; appending its access record to the case's log is a cost of its own.
    monkeypatch.setattr(store, "record_access", lambda *_, **__: None)
    gets = Counting(monkeypatch, store.repository, "get")
    decoded = Counting(monkeypatch, store.mapper, "to_domain_event")
    page = await client.get(url, params={"limit": 10, "cursor": "MjAw"}, headers=READER)  # after 200
    assert len(page.json()["items"]) == 10
    assert gets.calls == 0 and decoded.calls <= 12, (gets.calls, decoded.calls)  # the page, one more, a head
