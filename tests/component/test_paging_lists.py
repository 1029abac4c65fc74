"""Paging through a list: every item once, in a stable order, while the list grows between pages;
one access record per case a page carries, however many of its items are about that case."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.case_store.app import create_app as create_case_store
from services.kit.auth import Caller
from services.referrals.app import create_app as create_referrals
from services.referrals.commands import NewReferral
from services.scheduling.app import create_app as create_scheduling
from tests.component.test_referrals_http import new_referral
from tests.support.paging import Serve, access_records_since, services, walk
from tests.support.tokens import bearer

CASE_WORKER = bearer("0380", ("case_worker",))
READER = bearer("0380", ("coordinator", "auditor", "family_home_consultant"), subject="reader-1")
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[Serve]:
    async with services(tmp_path) as serving:
        yield serving


def referral(case_id: str) -> NewReferral:
    return NewReferral.model_validate(new_referral(case_id=case_id))


async def test_paging_through_referrals_returns_every_one_exactly_once_in_order_while_more_are_added(
    serve,
) -> None:
    client = await serve(create_referrals)
    created = []

    async def add(count: int) -> None:
        for _ in range(count):
            response = await client.post("/api/v1/referrals", json=new_referral(), headers=CASE_WORKER)
            created.append(response.json()["id"])

    await add(7)
    pages = await walk(client, "/api/v1/referrals", READER, 3, between=lambda: add(2))
    seen = [item["id"] for page in pages for item in page]
    assert seen == created and len(set(seen)) == len(created) == 7 + 2 * (len(pages) - 1)
    assert all(len(page) <= 3 for page in pages)


async def test_paging_through_a_timeline_returns_every_entry_exactly_once_while_entries_are_appended(
    serve,
) -> None:
    client = await serve(create_case_store)
    appended: list[int] = []

    async def append(count: int = 3) -> None:
        for n in range(len(appended), len(appended) + (count if len(appended) < 12 else 0)):
            client.store.record_event("0380-T1", "0380", f"k{n}", NOW, "referrals", "se.x.v1", "cw", f"s{n}")
            appended.append(n)

    await append(5)
    pages = await walk(client, "/api/v1/cases/0380-T1/timeline", READER, 2, between=append)
    positions = [entry["position"] for page in pages for entry in page]
    assert positions == list(range(1, len(appended) + 1)) and len(appended) == 14


async def test_a_page_leaves_one_access_record_per_case_it_carries_however_many_items_are_about_it(
    serve,
) -> None:
    client = await serve(create_referrals)
    store, caller = client.store, Caller("cw-12", "0380", frozenset({"case_worker"}))  # the referrer
    with store.unit_of_work():
        for case_id in ["0380-A"] * 60 + ["0380-B"] * 3:
            made = store.create_referral(caller, referral(case_id))
            store.revoke_referral(caller, made.id)  # one open referral of a case at a time
    before = store.max_notification_id()
    first = await client.get("/api/v1/referrals", params={"limit": 50}, headers=READER)
    assert len(first.json()["items"]) == 50
    assert access_records_since(store, before) == [("0380", "0380-A")]
    before = store.max_notification_id()
    rest = await client.get(
        "/api/v1/referrals", params={"cursor": first.json()["next_cursor"]}, headers=READER
    )
    assert len(rest.json()["items"]) == 13 and rest.json()["next_cursor"] is None
    assert sorted(access_records_since(store, before)) == [("0380", "0380-A"), ("0380", "0380-B")]


async def test_a_case_calendar_page_of_many_meetings_leaves_one_access_record(serve) -> None:
    client = await serve(create_scheduling)
    series = {
        "case_id": "0380-77",
        "kind": "network_meeting",
        "start": "2026-11-24T09:00:00",
        "end": "2026-11-24T10:00:00",
        "staff_ids": ["0380-family-therapist-1"],
        "other_participants": ["parent"],
        "repeat_weeks": 1,
        "occurrences": 12,
    }
    booked = await client.post("/api/v1/meetings", json=series, headers=bearer("0380", ("coordinator",)))
    assert booked.status_code == 201, booked.text
    before = client.store.max_notification_id()
    calendar = await client.get("/api/v1/cases/0380-77/calendar", headers=READER)
    assert len(calendar.json()["items"]) == 12
    assert access_records_since(client.store, before) == [("0380", "0380-77")]
