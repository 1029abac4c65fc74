"""The case store over HTTP: a case is (municipality, case id) (ARCHITECTURE §2.5, ADR 0016).

Events go into the store through the application's ingest methods (no broker).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from services.case_store.app import create_app
from services.case_store.application import CaseStoreApplication
from services.kit.cases import CaseRef
from tests.conftest import make_settings
from tests.support.tokens import bearer

OCCURRED = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.fixture
async def case_store(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cs") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def store_of(client: httpx.AsyncClient) -> CaseStoreApplication:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def ingest(client: httpx.AsyncClient, case_id: str, key: str, municipality: str) -> None:
    store_of(client).record_event(
        case_id, municipality, key, OCCURRED, "referrals", "se.natverk.referral.received.v1", "cw", "s"
    )


def timeline_url(case_id: str) -> str:
    return f"/api/v1/cases/{case_id}/timeline"


async def test_a_reader_asks_about_its_own_municipalitys_case_and_is_logged_there_not_in_the_other(
    case_store,
) -> None:
    """ADR 0016: 1980's reader of case id 0380-D1 asks for (1980, 0380-D1), which is not there;
    0380's case of that id is another case, whose access log does not show the attempt."""
    ingest(case_store, "0380-D1", "k1", "0380")
    await case_store.get(timeline_url("0380-D1"), headers=bearer("1980", ("coordinator",), subject="v-7"))
    log = await case_store.get(
        "/api/v1/cases/0380-D1/access-log", headers=bearer("0380", ("auditor",), subject="auditor-1")
    )
    assert log.status_code == 200
    assert log.json() == {"items": [], "next_cursor": None}
    [attempt] = store_of(case_store).access_records(CaseRef("1980", "0380-D1"))
    assert (attempt.actor, attempt.actor_municipality, attempt.outcome) == ("v-7", "1980", "not_found")


async def test_the_same_case_id_in_two_municipalities_is_two_timelines_and_two_logs(case_store) -> None:
    ingest(case_store, "SAME-1", "uppsala", municipality="0380")
    ingest(case_store, "SAME-1", "vasteras", municipality="1980")
    readers = {m: bearer(m, ("auditor",), subject=f"auditor-{m}") for m in ("0380", "1980")}
    timelines = {
        m: (await case_store.get(timeline_url("SAME-1"), headers=h)).json() for m, h in readers.items()
    }
    logs = {
        m: (await case_store.get("/api/v1/cases/SAME-1/access-log", headers=h)).json()
        for m, h in readers.items()
    }
    report = await case_store.get("/api/v1/audit/verify", headers=bearer("0380", ("ops",)))
    for municipality, timeline in timelines.items():
        assert timeline["municipality"] == municipality and len(timeline["items"]) == 1
        assert [r["actor"] for r in logs[municipality]["items"]] == [f"auditor-{municipality}"]
    assert timelines["0380"]["items"][0]["hash"] != timelines["1980"]["items"][0]["hash"]
    # Two timelines and two access logs, none broken.
    assert (report.json()["chains_checked"], report.json()["problems"]) == (4, [])


async def test_an_auditor_reads_the_attempts_on_a_case_id_that_has_no_timeline_in_their_municipality(
    case_store,
) -> None:
    """Fishing for a case that is not there, or a read before the case's first event arrived, is
    logged under that case id: the auditor of the municipality sees it, where the log was a 404."""
    await case_store.get(timeline_url("0380-D1"), headers=bearer("1980", ("coordinator",), subject="v-7"))
    log = await case_store.get(
        "/api/v1/cases/0380-D1/access-log", headers=bearer("1980", ("auditor",), subject="auditor-9")
    )
    assert log.status_code == 200, log.text
    assert [(r["actor"], r["outcome"]) for r in log.json()["items"]] == [("v-7", "not_found")]
    never_asked = await case_store.get(
        "/api/v1/cases/0380-NEVER/access-log", headers=bearer("1980", ("auditor",), subject="auditor-9")
    )
    assert never_asked.status_code == 404
