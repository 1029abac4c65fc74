"""The case store's HTTP API through the app factory: every read through the kit's command path.

Events go into the store through the application's ingest methods (no broker).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from eventsourcing.persistence import OperationalError

from services.case_store.app import create_app
from services.case_store.application import CaseStoreApplication, PlacementFact
from services.case_store.inbound import timeline_handler
from services.kit.cases import CaseRef
from services.kit.inbound import parse_record
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode, placement_data
from tests.support.tokens import bearer

OCCURRED = datetime(2026, 11, 20, 10, tzinfo=UTC)
STARTED = "se.placement.started.v1"
SUMMARY = "referral received by the network centre"
READER = bearer("0380", ("coordinator",), subject="reader-9")


@pytest.fixture
async def case_store(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://case-store") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def store_of(client: httpx.AsyncClient) -> CaseStoreApplication:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def ingest(client: httpx.AsyncClient, case_id: str, key: str = "k1", municipality: str = "0380") -> None:
    store_of(client).record_event(
        case_id, municipality, key, OCCURRED, "referrals", "se.natverk.referral.received.v1", "cw-1", SUMMARY
    )


def timeline_url(case_id: str) -> str:
    return f"/api/v1/cases/{case_id}/timeline"


async def test_a_timeline_read_leaves_an_access_record_naming_the_readers_sub_and_purpose(case_store) -> None:
    ingest(case_store, "0380-A1")
    response = await case_store.get(
        timeline_url("0380-A1"), headers={**READER, "X-Access-Purpose": "utredning"}
    )
    assert response.status_code == 200
    [record] = store_of(case_store).access_records(CaseRef("0380", "0380-A1"))
    assert (record.actor, record.actor_municipality, record.purpose, record.outcome) == (
        "reader-9",
        "0380",
        "utredning",
        "granted",
    )
    assert vars(record)["attribution"] == {"actor": "reader-9", "reason": "utredning"}


async def test_a_reader_gets_503_and_no_case_data_when_the_access_record_cannot_be_stored(
    case_store, monkeypatch
) -> None:
    ingest(case_store, "0380-B1")

    def log_unavailable(*_: object, **__: object) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(store_of(case_store), "record_access", log_unavailable)
    response = await case_store.get(timeline_url("0380-B1"), headers=READER)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert SUMMARY not in response.text and "items" not in response.text


async def test_another_municipalitys_timeline_answers_exactly_like_an_absent_one(case_store) -> None:
    ingest(case_store, "0380-C1")
    other = bearer("1980", ("coordinator",), subject="vasteras-7")
    denied = await case_store.get(timeline_url("0380-C1"), headers=other)
    absent = await case_store.get(timeline_url("0380-C2"), headers=other)
    assert denied.status_code == absent.status_code == 404
    assert denied.content == absent.content
    without_correlation = [
        {k: v for k, v in r.headers.items() if k != "x-correlation-id"} for r in (denied, absent)
    ]
    assert without_correlation[0] == without_correlation[1]


async def test_a_timeline_entry_names_who_caused_the_upstream_event_not_who_reads_it(case_store) -> None:
    event = parse_record(encode(cloud_event(STARTED, placement_data("0380-E1", "P-E1"), actor="cw-77")))
    timeline_handler(store_of(case_store))(event)
    response = await case_store.get(timeline_url("0380-E1"), headers=READER)
    assert [entry["actor"] for entry in response.json()["items"]] == ["cw-77"]


async def test_known_as_of_shows_what_the_case_store_knew_then(case_store) -> None:
    ingest(case_store, "0380-F1", "first")
    cut = datetime.now(UTC)
    ingest(case_store, "0380-F1", "second")
    response = await case_store.get(
        timeline_url("0380-F1"), params={"known_as_of": cut.isoformat()}, headers=READER
    )
    body = response.json()
    assert [entry["position"] for entry in body["items"]] == [1]
    assert (datetime.fromisoformat(body["known_as_of"]), body["as_of"]) == (cut, None)


async def test_as_of_shows_what_had_happened_by_then_including_what_arrived_late(case_store) -> None:
    store = store_of(case_store)
    for key, day in (("on-the-20th", 20), ("on-the-10th-told-late", 10), ("on-the-25th", 25)):
        happened = datetime(2026, 11, day, 10, tzinfo=UTC)
        store.record_event("0380-F3", "0380", key, happened, "referrals", "se.x.v1", "cw-1", SUMMARY)
    as_of = datetime(2026, 11, 21, tzinfo=UTC).isoformat()
    response = await case_store.get(
        timeline_url("0380-F3"), params={"as_of": as_of, "limit": 1}, headers=READER
    )
    first = response.json()
    assert [entry["position"] for entry in first["items"]] == [1]
    following = await case_store.get(
        timeline_url("0380-F3"), params={"as_of": as_of, "cursor": first["next_cursor"]}, headers=READER
    )
    assert [entry["position"] for entry in following.json()["items"]] == [2]  # not the 25th's
    assert following.json()["next_cursor"] is None


async def test_entries_stored_with_a_time_without_offset_are_read_as_swedish_time_by_as_of(
    case_store,
) -> None:
    """Records whose time had no offset were taken until the edge refused them; their entries keep
    the text they were chained with, and an ``as_of`` read compares them as Swedish time (no 500)."""
    store = store_of(case_store)
    for key, hour in (("at-ten-swedish", 10), ("at-noon-swedish", 12)):
        happened = datetime(2026, 11, 20, hour)  # as stored before: no offset
        store.record_event("0380-F4", "0380", key, happened, "case-system", "se.x.v1", "cs", SUMMARY)
    as_of = datetime(2026, 11, 20, 10, 30, tzinfo=UTC).isoformat()  # 11:30 in Sweden
    response = await case_store.get(timeline_url("0380-F4"), params={"as_of": as_of}, headers=READER)
    assert response.status_code == 200, response.text
    assert [entry["source_key"] for entry in response.json()["items"]] == ["at-ten-swedish"]


async def test_as_of_without_a_zone_is_refused_without_echoing_it(case_store) -> None:
    response = await case_store.get(
        timeline_url("0380-F2"), params={"as_of": "2026-11-20T10:00:17"}, headers=READER
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert "10:00:17" not in response.text


async def test_a_coordinator_verifies_the_chain_of_an_own_case(case_store) -> None:
    ingest(case_store, "0380-G1", "a")
    ingest(case_store, "0380-G1", "b")
    response = await case_store.get("/api/v1/cases/0380-G1/verify", headers=READER)
    assert response.json() == {
        "case_id": "0380-G1",
        "municipality": "0380",
        "ok": True,
        "entries_checked": 2,
        "first_broken_position": None,
        "reason": None,
    }


async def test_only_auditors_read_the_access_log(case_store) -> None:
    ingest(case_store, "0380-H1")
    response = await case_store.get("/api/v1/cases/0380-H1/access-log", headers=READER)
    assert response.status_code == 403


async def test_ops_sees_every_municipalitys_statistics_and_a_coordinator_only_its_own(case_store) -> None:
    store = store_of(case_store)
    for municipality in ("0380", "1980"):
        fact = PlacementFact(
            "started", municipality, f"{municipality}-S1", "P-1", "natverkshem", OCCURRED.date()
        )
        store.record_placement_event(fact, f"p-{municipality}", OCCURRED, "cms", STARTED, "cw", "s")
    period = {"from": "2026-11-01", "to": "2026-12-31"}
    ops = await case_store.get(
        "/api/v1/statistics/placements", params=period, headers=bearer("0380", ("ops",))
    )
    own = await case_store.get("/api/v1/statistics/placements", params=period, headers=READER)
    assert [m["municipality"] for m in ops.json()["municipalities"]] == ["0380", "1980"]
    assert [m["municipality"] for m in own.json()["municipalities"]] == ["0380"]
    assert ops.json()["municipalities"][0]["kinship_share"] == 1.0
    assert own.json()["municipalities"][0]["kinship_share"] == "*"  # one child: a small count


async def test_a_statistics_period_that_ends_before_it_starts_is_refused(case_store) -> None:
    period = {"from": "2026-12-31", "to": "2026-11-01"}
    response = await case_store.get("/api/v1/statistics/placements", params=period, headers=READER)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


async def test_the_chain_report_checks_every_timeline_ops_may_see_and_reads_no_case(case_store) -> None:
    ingest(case_store, "0380-J1")
    ingest(case_store, "1980-J2", municipality="1980")
    ops = await case_store.get("/api/v1/audit/verify", headers=bearer("0380", ("ops",)))
    auditor = await case_store.get("/api/v1/audit/verify", headers=bearer("0380", ("auditor",)))
    no_checkpoint = {
        "problems": [],
        "checkpoint": None,
        "forged_checkpoints": [],
        "unfiled_checkpoints": [],
        "next_cursor": None,
        "unchained_records_not_covered": 0,
    }
    assert ops.json() == {"chains_checked": 2, **no_checkpoint}
    assert auditor.json() == {"chains_checked": 1, **no_checkpoint}  # its own only
    assert store_of(case_store).access_log_started(CaseRef("0380", "0380-J1")) is None


async def test_a_staff_meeting_no_roster_could_take_shows_in_the_timeline_with_its_deadline(
    case_store,
) -> None:
    data = {
        "case_id": "0380-U1",
        "municipality": "0380",
        "referral_id": "r-1",
        "deadline": "2026-11-30T08:00:00",
    }
    unbooked = cloud_event(
        "se.natverk.meeting.staff_meeting_unbooked.v1",
        data,
        source="/natverk/scheduling",
        actor="system:scheduling",
    )
    timeline_handler(store_of(case_store))(parse_record(encode(unbooked)))
    response = await case_store.get(timeline_url("0380-U1"), headers=READER)
    [entry] = response.json()["items"]
    assert entry["event_type"] == "se.natverk.meeting.staff_meeting_unbooked.v1"
    assert "could not be booked" in entry["summary"] and "2026-11-30" in entry["summary"]


async def test_a_staff_meeting_still_unbooked_after_its_deadline_shows_in_the_timeline(case_store) -> None:
    data = {
        "case_id": "0380-U1",
        "municipality": "0380",
        "referral_id": "r-1",
        "deadline": "2026-11-30T08:00:00",
    }
    overdue = cloud_event(
        "se.natverk.meeting.staff_meeting_unbooked_overdue.v1",
        data,
        source="/natverk/scheduling",
        actor="system:scheduling",
    )
    timeline_handler(store_of(case_store))(parse_record(encode(overdue)))
    response = await case_store.get(timeline_url("0380-U1"), headers=READER)
    [entry] = response.json()["items"]
    assert entry["event_type"] == "se.natverk.meeting.staff_meeting_unbooked_overdue.v1"
    assert "not booked" in entry["summary"] and "2026-11-30" in entry["summary"]


async def test_safety_planning_examined_shows_in_the_timeline_with_who_examined_it_and_the_outcome(
    case_store,
) -> None:
    data = {"case_id": "0380-SP1", "municipality": "0380", "outcome": "family_declined", "due": "2026-11-27"}
    examined = cloud_event(
        "se.natverk.referral.safety_planning_examined.v1", data, source="/natverk/referrals", actor="st-7"
    )
    timeline_handler(store_of(case_store))(parse_record(encode(examined)))
    response = await case_store.get(timeline_url("0380-SP1"), headers=READER)
    [entry] = response.json()["items"]
    assert (entry["event_type"], entry["actor"]) == (
        "se.natverk.referral.safety_planning_examined.v1",
        "st-7",
    )
    assert "Safety planning examined: family declined" in entry["summary"]
