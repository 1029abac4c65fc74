"""network_support's monthly reports over HTTP (issue 16, item 6): SAMS days to school start with the
month's share within 7 days, and the Stella parent-support figures, as JSON and CSV."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.kit.domain.case_access import CaseAccess
from services.network_support.app import create_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",), subject="coordinator-1")
NOVEMBER = {"month": "2026-11"}


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: date(2026, 12, 3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ns") as client:
        client.app = app  # type: ignore[attr-defined]
        placed(client, "0380", "C-1", "P-1", date(2026, 11, 2), school_change=True)
        placed(client, "0380", "C-2", "P-2", date(2026, 11, 20), school_change=True)
        placed(client, "0380", "C-3", "P-3", date(2026, 11, 10), school_change=False)
        placed(client, "0380", "C-4", "P-4", date(2026, 10, 30), school_change=False)
        placed(client, "2180", "G-1", "P-9", date(2026, 11, 3), school_change=False)
        await record(client, "P-1", "school-start", {"on": "2026-11-06"})
        await record(client, "P-1", "parent-support/offers", {"on": "2026-11-05"})
        await record(
            client,
            "P-1",
            "parent-support/sessions",
            {"on": "2026-11-10", "mode": "phone", "parent": "mother"},
        )
        await record(client, "P-3", "parent-support/offers", {"on": "2026-11-25"})
        yield client
    app.state.runtime.app.close()


def placed(
    client: httpx.AsyncClient,
    municipality: str,
    case_id: str,
    placement_id: str,
    on: date,
    school_change: bool,
) -> None:
    app: Any = client.app.state.runtime.app  # type: ignore[attr-defined]
    app.placement_started(municipality, case_id, placement_id, "familjehem", on, school_change)


async def record(client: httpx.AsyncClient, placement_id: str, what: str, body: dict[str, str]) -> None:
    response = await client.post(f"/api/v1/placements/{placement_id}/{what}", headers=WORKER, json=body)
    assert response.status_code in (200, 201), response.text


async def test_the_sams_report_gives_days_to_school_start_and_the_share_within_a_week(
    network_support,
) -> None:
    report = (
        await network_support.get("/api/v1/reports/school-start", params=NOVEMBER, headers=COORDINATOR)
    ).json()
    assert report["share_within_week"] == 0.5
    assert [(r["case_id"], r["days"], r["still_open"], r["within_week"]) for r in report["rows"]] == [
        ("C-1", 4, False, True),
        ("C-2", 13, True, False),  # no school yet: 13 days so far
    ]


async def test_the_sams_report_comes_as_csv_naming_cases_and_never_a_person(network_support) -> None:
    response = await network_support.get(
        "/api/v1/reports/school-start", params={**NOVEMBER, "format": "csv"}, headers=COORDINATOR
    )
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == [
        "case_id,placement_id,placed_on,school_started_on,days,still_open,within_week",
        "C-1,P-1,2026-11-02,2026-11-06,4,false,true",
        "C-2,P-2,2026-11-20,,13,true,false",
    ]


async def test_the_parent_support_figures_count_offers_within_a_week_and_sessions(network_support) -> None:
    report = (
        await network_support.get("/api/v1/reports/parent-support", params=NOVEMBER, headers=COORDINATOR)
    ).json()
    assert report["municipalities"] == [
        {
            "municipality": "0380",
            "placements_started": 3,
            "offered_within_week": 1,
            "offered_later": 1,
            "not_offered": 1,  # P-2: its week passed on 2026-11-27
            "not_due": 0,
            "sessions": 1,
            "sessions_by_mode": {"phone": 1},
            "sessions_by_parent": {"mother": 1},
        }
    ]


async def test_ops_sees_every_municipalitys_parent_support_figures_as_csv(network_support) -> None:
    response = await network_support.get(
        "/api/v1/reports/parent-support",
        params={**NOVEMBER, "format": "csv"},
        headers=bearer("0380", ("ops",)),
    )
    header, *rows = response.text.splitlines()
    assert header.startswith("municipality,placements_started,offered_within_week")
    assert [row.split(",")[0] for row in rows] == ["0380", "2180"]


async def test_a_case_worker_may_not_read_the_reports_and_a_bad_month_is_refused(network_support) -> None:
    denied = await network_support.get("/api/v1/reports/school-start", params=NOVEMBER, headers=WORKER)
    bad = await network_support.get(
        "/api/v1/reports/parent-support", params={"month": "2026-13"}, headers=COORDINATOR
    )
    assert (denied.status_code, bad.status_code) == (403, 422)


async def test_reading_the_sams_report_is_logged_for_each_case_it_names(network_support) -> None:
    await network_support.get("/api/v1/reports/school-start", params=NOVEMBER, headers=COORDINATOR)
    app: Any = network_support.app.state.runtime.app  # type: ignore[attr-defined]
    stored = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]
    reads = [e for e in stored if isinstance(e, CaseAccess.Recorded) and e.actor == "coordinator-1"]
    assert sorted(a.case_id for a in reads) == ["C-1", "C-2"]
