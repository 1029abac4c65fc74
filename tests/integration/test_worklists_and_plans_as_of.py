"""Worklists, overdue events and plans as of a day (issue 16 items 3 and 5) on both store backends,
and an overdue referral reaching the case store's timeline through the real broker."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import eventsourcing.domain
import httpx
import pytest
from fastapi import FastAPI

from services.case_store.app import create_app as create_case_store
from services.kit.domain.swedish_time import swedish_day
from services.kit.domain.working_days import add_working_days
from services.kit.settings import ServiceSettings
from services.kit.worklist import local_today
from services.network_support.app import create_app as create_network_support
from services.referrals.app import create_app as create_referrals
from tests.conftest import make_settings
from tests.support.apps import eventually, serving
from tests.support.events import valid_pin
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration]
WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",))
AUDITOR = bearer("0380", ("auditor",))


@asynccontextmanager
async def on_store(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """``app`` over HTTP on its store alone (no broker): what is under test is the store."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        yield client
    app.state.runtime.app.close()


def referral(case_id: str) -> dict:
    return {
        "case_id": case_id,
        "target": "network_centre",
        "child": {"pin": valid_pin(11), "protected_identity": False},
        "child_status": "placed",
        "case_worker_id": "cw-1",
        "reason": "network strengthening",
    }


async def test_a_safety_plan_reads_as_it_was_on_a_day_on_either_store(
    tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = {"at": datetime(2027, 1, 10, 9, 0, tzinfo=UTC)}
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: now["at"])
    app = create_network_support(make_settings(tmp_path, database_url=database_url), start_runtime=False)
    app.state.runtime.app.today = lambda: swedish_day(now["at"])  # the revision is no later than today
    async with on_store(app) as support:
        await support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
        now["at"] = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)
        await support.post(
            "/api/v1/cases/C-1/safety-plan/revisions", headers=WORKER, json={"on": "2027-01-20"}
        )
        versions = [
            (await support.get("/api/v1/cases/C-1/safety-plan", headers=WORKER, params={"as_of": day})).json()
            for day in ("2027-01-15", "2027-01-20")
        ]
        before = await support.get(
            "/api/v1/cases/C-1/safety-plan", headers=WORKER, params={"as_of": "2027-01-09"}
        )
    assert [v["version"] for v in versions] == [1, 2]
    assert before.status_code == 404


async def test_an_unanswered_referral_is_overdue_on_the_worklist_and_noted_once_on_either_store(
    tmp_path: Path, database_url: str | None
) -> None:
    app = create_referrals(make_settings(tmp_path, database_url=database_url), start_runtime=False)
    async with on_store(app) as referrals:
        await referrals.post("/api/v1/referrals", headers=WORKER, json=referral("0380-W1"))
        app.state.runtime.app.today = lambda: add_working_days(local_today(), 3) + timedelta(days=1)
        noted = [app.state.runtime.app.check_response_deadlines() for _ in range(2)]
        listed = (
            await referrals.get("/api/v1/worklist", headers=COORDINATOR, params={"overdue": "true"})
        ).json()
    assert noted == [1, 0]
    assert [(i["case_id"], i["overdue"]) for i in listed["items"]] == [("0380-W1", True)]


@pytest.mark.one_backend
async def test_an_overdue_referral_response_reaches_the_case_timeline(settings: ServiceSettings) -> None:
    case_id = f"0380-{uuid.uuid4().hex[:6]}"
    referrals_app = create_referrals(settings)
    async with serving(referrals_app) as referrals, serving(create_case_store(settings)) as case_store:
        await referrals.post("/api/v1/referrals", headers=WORKER, json=referral(case_id))
        store = referrals_app.state.runtime.app
        store.today = lambda: add_working_days(local_today(), 3) + timedelta(days=1)
        assert store.check_response_deadlines() == 1

        async def overdue_in_timeline() -> list[dict]:
            response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=AUDITOR)
            items = response.json()["items"] if response.status_code == 200 else []
            return [i for i in items if i["event_type"] == "se.natverk.referral.response_overdue.v1"]

        [entry] = await eventually(overdue_in_timeline)
    assert valid_pin(11) not in str(entry)


@pytest.mark.one_backend
async def test_safety_planning_examined_reaches_the_case_timeline_naming_who_examined_it(
    settings: ServiceSettings,
) -> None:
    case_id = f"0380-{uuid.uuid4().hex[:6]}"
    examiner = bearer("0380", ("safety_team",), subject="st-7")
    referrals_app = create_referrals(settings)
    async with serving(referrals_app) as referrals, serving(create_case_store(settings)) as case_store:
        near = {**referral(case_id), "child_status": "placement_near"}
        await referrals.post("/api/v1/referrals", headers=WORKER, json=near)
        examined = await referrals.post(
            f"/api/v1/cases/{case_id}/safety-planning-examination",
            headers=examiner,
            json={"outcome": "not_suitable"},
        )
        assert examined.status_code == 200, examined.text

        async def examined_in_timeline() -> list[dict]:
            response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=AUDITOR)
            items = response.json()["items"] if response.status_code == 200 else []
            return [i for i in items if i["event_type"] == "se.natverk.referral.safety_planning_examined.v1"]

        [entry] = await eventually(examined_in_timeline)
    assert (entry["actor"], "not suitable" in entry["summary"]) == ("st-7", True)
    assert valid_pin(11) not in str(entry)
