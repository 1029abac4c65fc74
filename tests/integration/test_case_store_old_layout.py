"""A case store written before ADR 0016 (timelines and access logs keyed by case id alone)
still reads, verifies and grows, each case for its own municipality.

``tests/fixtures/case_store_store_2026_12.sqlite`` was written by the case store as of
commit 3d5cd75 (see the README next to it).  On SQLite a copy of the file is opened; on
PostgreSQL its stored events are copied, unchanged, into a fresh store.  Events go in
through the inbound handlers and everything is read over HTTP with each municipality's tokens.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from eventsourcing.persistence import StoredEvent

from services.case_store.app import create_app
from services.case_store.application import CaseStoreApplication
from services.case_store.inbound import access_handler, timeline_handler
from services.kit.inbound import parse_record
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode, placement_data, placement_started
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
FIXTURE = Path(__file__).parents[1] / "fixtures" / "case_store_store_2026_12.sqlite"
# case id -> (its municipality, entries stored in the fixture)
STORED = {"0380-2026-0001": ("0380", 2), "0380-2026-0002": ("0380", 3), "1980-2026-0001": ("1980", 2)}
OTHER = {"0380": "1980", "1980": "0380"}


def _restore(settings: ServiceSettings) -> None:
    """The fixture's stored events, as they are, in the settings' store."""
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True)
        shutil.copy(FIXTURE, settings.data_dir / "case_store.sqlite")
        return
    copy = make_settings(settings.data_dir / "fixture")
    _restore(copy)
    old, new = (open_store(CaseStoreApplication, s, "case_store") for s in (copy, settings))
    try:
        stored = old.recorder.select_notifications(1, 1000)
        new.recorder.insert_events(
            [StoredEvent(e.originator_id, e.originator_version, e.topic, e.state) for e in stored]
        )
    finally:
        old.close()
        new.close()


@pytest.fixture
async def case_store(tmp_path: Path, database_url: str | None) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(tmp_path / "data", database_url=database_url)
    _restore(settings)
    app = create_app(settings, start_runtime=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cs") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def _ingest(client: httpx.AsyncClient, event: dict, handler=timeline_handler) -> None:
    handler(client.app.state.runtime.app)(parse_record(encode(event)))  # type: ignore[attr-defined]


async def _get(
    client: httpx.AsyncClient, path: str, municipality: str, role: str = "auditor"
) -> httpx.Response:
    return await client.get(
        f"/api/v1/cases/{path}", headers=bearer(municipality, (role,), f"{role}-{municipality}")
    )


async def test_every_stored_timeline_reads_and_verifies_for_its_own_municipality_only(case_store) -> None:
    for case_id, (municipality, entries) in STORED.items():
        timeline = await _get(case_store, f"{case_id}/timeline", municipality)
        verified = (await _get(case_store, f"{case_id}/verify", municipality)).json()
        assert timeline.status_code == 200
        assert (timeline.json()["municipality"], len(timeline.json()["items"])) == (municipality, entries)
        assert (verified["ok"], verified["entries_checked"]) == (True, entries)
        assert (await _get(case_store, f"{case_id}/timeline", OTHER[municipality])).status_code == 404
    chains = await case_store.get("/api/v1/audit/verify", headers=bearer("0380", ("ops",)))
    assert chains.json()["problems"] == [] and chains.json()["chains_checked"] >= 3


async def test_a_stored_timeline_accepts_new_entries_and_the_same_id_elsewhere_is_a_new_case(
    case_store,
) -> None:
    changed = placement_data("0380-2026-0001", "P-0380-1", placement_type="familjehem")
    _ingest(case_store, cloud_event("se.placement.changed.v1", changed))
    theirs = placement_started("0380-2026-0001", "P-1980-9", municipality="1980", placement_type="hvb")
    _ingest(case_store, theirs)

    ours = (await _get(case_store, "0380-2026-0001/timeline", "0380")).json()
    other = (await _get(case_store, "0380-2026-0001/timeline", "1980")).json()
    verified = {m: (await _get(case_store, "0380-2026-0001/verify", m)).json() for m in ("0380", "1980")}
    assert [e["position"] for e in ours["items"]] == [1, 2, 3]
    assert ours["items"][-1]["summary"] == "Placement changed: familjehem under SoL"
    assert (other["municipality"], [e["summary"] for e in other["items"]]) == (
        "1980",
        ["Placement started: hvb under SoL"],
    )
    assert [(v["ok"], v["entries_checked"]) for v in verified.values()] == [(True, 3), (True, 1)]
    period = {"from": "2026-11-01", "to": "2026-12-31"}
    figures = await case_store.get(
        "/api/v1/statistics/placements", params=period, headers=bearer("0380", ("ops",))
    )
    children = {m["municipality"]: m["children"] for m in figures.json()["municipalities"]}
    assert children == {"0380": 2, "1980": 2}


async def test_stored_access_logs_show_their_own_municipalitys_reads_and_grow(case_store) -> None:
    access = {
        "case_id": "1980-2026-0001",
        "actor": "vasteras-coordinator",
        "actor_municipality": "1980",
        "service": "scheduling",
        "resource": "GET /api/v1/cases/1980-2026-0001/calendar",
        "purpose": "planering",
        "outcome": "granted",
        "municipality": "1980",
    }
    event = cloud_event(
        "se.natverk.case.accessed.v1", access, source="/natverk/scheduling", subject="1980-2026-0001"
    )
    _ingest(case_store, event, access_handler)
    uppsala = (await _get(case_store, "0380-2026-0001/access-log", "0380")).json()
    vasteras = (await _get(case_store, "1980-2026-0001/access-log", "1980")).json()
    assert [(r["actor"], r["outcome"]) for r in uppsala["items"]] == [
        ("uppsala-auditor", "granted"),
        ("vasteras-cw", "denied"),  # refused another municipality's reader: about Uppsala's case
    ]
    # Uppsala's scheduling read of its own case "1980-2026-0001", stored in Västerås's log
    # before ADR 0016, is not shown to Västerås; the new record is.
    assert [r["actor"] for r in vasteras["items"]] == ["vasteras-cw", "vasteras-coordinator"]


async def test_stored_access_records_show_no_read_time_and_still_verify_beside_a_new_timed_one(
    case_store,
) -> None:
    """Records stored before ADR 0035 know only when they were recorded; they hash as they always
    did, and the log's next record, which knows when its read was made, links on from them."""
    access = {
        "case_id": "0380-2026-0002", "actor": "uppsala-coordinator", "actor_municipality": "0380",
        "service": "scheduling", "resource": "GET /api/v1/cases/0380-2026-0002/calendar",
        "purpose": "planering", "outcome": "granted", "municipality": "0380",
    }  # fmt: skip
    read = cloud_event(
        "se.natverk.case.accessed.v1", access, source="/natverk/scheduling", time="2026-12-04T09:30:00Z"
    )
    _ingest(case_store, read, access_handler)

    items = (await _get(case_store, "0380-2026-0002/access-log", "0380")).json()["items"]
    assert [(r["actor"], r["occurred_at"]) for r in items] == [
        ("uppsala-cw", None),
        ("uppsala-coordinator", "2026-12-04T09:30:00Z"),
    ]
    chains = await case_store.get("/api/v1/audit/verify", headers=bearer("0380", ("ops",)))
    assert chains.json()["problems"] == []


async def _pages_of_one(client: httpx.AsyncClient, case_id: str, municipality: str) -> list[int]:
    """Every entry's position, read a page of one entry at a time."""
    positions: list[int] = []
    cursor = None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = await client.get(
            f"/api/v1/cases/{case_id}/timeline", params=params, headers=bearer(municipality, ("auditor",))
        )
        positions += [entry["position"] for entry in page.json()["items"]]
        if (cursor := page.json()["next_cursor"]) is None:
            return positions


async def test_a_stored_timeline_and_one_opened_with_its_first_entry_page_through_every_entry_once(
    case_store,
) -> None:
    """Entry n is version n + 1 in a timeline stored before ADR 0037 and version n in a new one:
    a page after any entry starts at the next, in both."""
    changed = placement_data("0380-2026-0002", "P-0380-2", placement_type="familjehem")
    _ingest(case_store, cloud_event("se.placement.changed.v1", changed))
    for n in range(3):
        _ingest(case_store, placement_started("0380-2026-0099", f"P-new-{n}", placement_type="hvb"))
    assert await _pages_of_one(case_store, "0380-2026-0002", "0380") == [1, 2, 3, 4]
    assert await _pages_of_one(case_store, "0380-2026-0099", "0380") == [1, 2, 3]
