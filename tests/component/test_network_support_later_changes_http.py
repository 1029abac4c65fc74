"""What a plan or a process still accepts later on, over HTTP with a JWT: a concluded safety plan is
reopened when concern returns (by drafting it again, or by a new referral to the safety team); a
closed support plan takes no more goals or actions; home-return phases are dated by what happened,
in order."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.kit.inbound import parse_record
from services.network_support.app import create_app
from services.network_support.inbound import consumers
from tests.component.conftest import in_process, service_app
from tests.conftest import make_settings
from tests.support.clock import EventClock, stamping_events_at
from tests.support.events import cloud_event, encode, placement_data
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker", "safety_team"))
REGISTRAR = bearer("0380", ("registrar",))
TODAY = date(2026, 12, 3)
DRAFTED = date(2026, 6, 1)  # a plan's facts are dated from the day it was drafted (or reopened) on
PLAN = "/api/v1/cases/C-1/safety-plan"
ENDING = {"reason": "child_placed", "on": "2026-06-01"}
STATEMENT = {"statement": "Dad drinks", "safety_goal": "A sober adult", "scale": 3, "on": "2026-12-03"}
HOME = "/api/v1/cases/C-1/home-return"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> EventClock:
    """When stored events are stamped: moved by a test that reads a plan as of a day."""
    return stamping_events_at(monkeypatch, datetime(2026, 6, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: TODAY
    async with in_process(app, "http://network-support") as client:
        yield client


def hear(client: httpx.AsyncClient, topic: str, event: dict[str, Any]) -> None:
    """An event as another service or a case system sends it, through the inbound handler."""
    handlers = {spec.topic: spec.handlers for spec in consumers(service_app(client))}[topic]
    handlers[event["type"]](parse_record(encode(event)))


def on_the_day(client: httpx.AsyncClient, day: date, do: Callable[[], None]) -> None:
    """``do`` on ``day``: the application's today, as when the inbound record was heard."""
    app = service_app(client)
    app.today = lambda: day
    do()
    app.today = lambda: TODAY


def accepted(
    referral_id: str, target: str = "safety_team", event_id: str | None = None, on: date = TODAY
) -> dict[str, Any]:
    """Referrals' record of a referral accepted on ``on`` (a plan it drafts is open from that day)."""
    data = {"referral_id": referral_id, "case_id": "C-1", "municipality": "0380", "target": target}
    when = {"time": f"{on}T09:00:00Z", "source": "/natverk/referrals"}
    return cloud_event("se.natverk.referral.accepted.v1", data, event_id, **when)


async def plan_concluded_by_a_first_referral(client: httpx.AsyncClient) -> None:
    """Drafted by the first referral, heard on 1 June, and concluded that day; today after."""
    on_the_day(client, DRAFTED, lambda: hear(client, REFERRALS, accepted("R-1", on=DRAFTED)))
    concluded = await client.post(f"{PLAN}/conclude", headers=WORKER, json=ENDING)
    assert concluded.status_code == 200, concluded.text


async def safety_follow_ups(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/api/v1/worklist", headers=WORKER)
    assert response.status_code == 200, response.text
    return [item["due"] for item in response.json()["items"] if item["obligation"] == "safety_plan_follow_up"]


# -- a concluded safety plan is reopened when concern returns ----------------------------------
async def test_drafting_a_concluded_safety_plan_again_reopens_it_with_a_new_six_month_follow_up(
    network_support,
) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    reopened = await network_support.post(PLAN, headers=WORKER)
    assert reopened.status_code == 201, reopened.text
    due = str(TODAY + timedelta(days=182))
    assert (reopened.json()["concluded"], reopened.json()["follow_up_due"]) == (None, due)
    assert await safety_follow_ups(network_support) == [due]


async def test_a_reopened_safety_plan_shows_its_earlier_conclusion(network_support) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    await network_support.post(PLAN, headers=WORKER)
    shown = (await network_support.get(PLAN, headers=WORKER)).json()
    assert shown["earlier_conclusions"] == [
        {"reason": "child_placed", "on": "2026-06-01", "reopened_on": str(TODAY)}
    ]


async def test_a_reopened_safety_plan_accepts_danger_statements_again(network_support) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    await network_support.post(PLAN, headers=WORKER)
    added = await network_support.post(f"{PLAN}/danger-statements", headers=WORKER, json=STATEMENT)
    assert added.status_code == 200, added.text


async def test_drafting_a_running_safety_plan_answers_with_it_unchanged(network_support) -> None:
    hear(network_support, REFERRALS, accepted("R-1"))
    await network_support.post(f"{PLAN}/danger-statements", headers=WORKER, json=STATEMENT)
    again = await network_support.post(PLAN, headers=WORKER)
    assert again.status_code == 201, again.text
    assert [s["statement"] for s in again.json()["danger_statements"]] == ["Dad drinks"]
    assert (again.json()["follow_up_due"], again.json()["earlier_conclusions"]) == (
        str(TODAY + timedelta(days=182)),
        [],
    )


async def test_a_new_safety_team_referral_reopens_a_concluded_safety_plan(network_support) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    hear(network_support, REFERRALS, accepted("R-2"))
    shown = (await network_support.get(PLAN, headers=WORKER)).json()
    assert (shown["concluded"], shown["follow_up_due"]) == (None, str(TODAY + timedelta(days=182)))


async def test_the_referral_that_drafted_a_concluded_plan_heard_again_does_not_reopen_it(
    network_support,
) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    hear(network_support, REFERRALS, accepted("R-1"))
    hear(network_support, REFERRALS, accepted("R-3", target="network_centre"))
    assert (await network_support.get(PLAN, headers=WORKER)).json()["concluded"]["reason"] == "child_placed"


async def test_a_reopening_referral_heard_again_after_a_second_conclusion_does_not_reopen_it(
    network_support,
) -> None:
    reopening = accepted("R-2", event_id="reopening", on=date(2026, 12, 2))
    await plan_concluded_by_a_first_referral(network_support)
    on_the_day(network_support, date(2026, 12, 2), lambda: hear(network_support, REFERRALS, reopening))
    await network_support.post(f"{PLAN}/conclude", headers=WORKER, json={**ENDING, "on": "2026-12-02"})
    hear(network_support, REFERRALS, reopening)
    assert (await network_support.get(PLAN, headers=WORKER)).json()["concluded"]["on"] == "2026-12-02"


async def test_a_reopened_safety_plan_is_published_as_overdue_once_its_new_follow_up_has_passed(
    network_support,
) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    await network_support.post(PLAN, headers=WORKER)
    service_app(network_support).today = lambda: TODAY + timedelta(days=183)
    assert service_app(network_support).check_safety_follow_ups() == 1
    [overdue] = published(network_support, "se.natverk.safety_plan.follow_up_overdue.v1")
    assert overdue.due == TODAY + timedelta(days=182)


async def test_a_reopened_safety_plan_is_published_with_its_new_follow_up_due(network_support) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    await network_support.post(PLAN, headers=WORKER)
    changes = published(network_support, "se.natverk.safety_plan.changed.v1")
    assert [(e.change, e.follow_up_due) for e in changes][1:] == [
        ("concluded", DRAFTED + timedelta(days=182)),
        ("reopened", TODAY + timedelta(days=182)),
    ]


async def test_a_reopened_safety_plan_reads_concluded_as_of_a_day_before_it_was_reopened(
    network_support, clock
) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    await network_support.post(PLAN, headers=WORKER)
    then = (await network_support.get(PLAN, headers=WORKER, params={"as_of": "2026-06-02"})).json()
    now = (await network_support.get(PLAN, headers=WORKER, params={"as_of": "9999-12-31"})).json()
    assert (then["concluded"], then["earlier_conclusions"]) == (
        {"reason": "child_placed", "on": "2026-06-01"},
        [],
    )
    assert (now["concluded"], len(now["earlier_conclusions"])) == (None, 1)


async def test_a_subject_access_request_shows_a_reopened_safety_plan_with_its_earlier_conclusion(
    network_support,
) -> None:
    await plan_concluded_by_a_first_referral(network_support)
    await network_support.post(PLAN, headers=WORKER)
    answer = await network_support.post(
        "/api/v1/subject-access", headers=REGISTRAR, json={"case_ids": ["C-1"]}
    )
    [case] = answer.json()["cases"]
    assert case["safety_plan"]["concluded"] is None
    assert [c["reason"] for c in case["safety_plan"]["earlier_conclusions"]] == ["child_placed"]


# -- a closed support plan takes no more goals or actions --------------------------------------
ACTION = {"description": "Call the grandmother", "owner_role": "parent_supporter", "due": "2026-12-10"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/referrals/R-1/support-plan/goals", {"goal": "Weekly visits at home"}),
        ("/api/v1/referrals/R-1/support-plan/actions", ACTION),
        ("/api/v1/referrals/R-1/support-plan/actions/1/complete", None),
        ("/api/v1/cases/C-1/support-plan/goals", {"goal": "Weekly visits at home"}),
        ("/api/v1/cases/C-1/support-plan/actions", ACTION),
        ("/api/v1/cases/C-1/support-plan/actions/1/complete", None),
    ],
)
async def test_a_closed_support_plan_refuses_goals_and_actions_with_409_unechoed(
    network_support, path: str, body: dict[str, Any] | None
) -> None:
    hear(network_support, REFERRALS, accepted("R-1", target="network_centre"))
    await network_support.post("/api/v1/referrals/R-1/support-plan/actions", headers=WORKER, json=ACTION)
    service_app(network_support).referral_ended("R-1", "0380", "referral_closed")
    refused = await network_support.post(path, headers=WORKER, json=body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "support_plan_closed")
    assert "grandmother" not in refused.text and "Weekly" not in refused.text
    shown = (await network_support.get("/api/v1/referrals/R-1/support-plan", headers=WORKER)).json()
    assert (shown["goals"], [a["status"] for a in shown["actions"]]) == ([], ["open"])


# -- home-return phases are dated by what happened, in order ------------------------------------
@pytest.mark.parametrize("url", [HOME, "/api/v1/cases/C-1/home-returns"])
async def test_a_home_return_phase_dated_after_today_is_refused_with_422(network_support, url: str) -> None:
    future = str(TODAY + timedelta(days=1))
    refused = await network_support.post(url, headers=WORKER, json={"phase": "preparation", "on": future})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "dated_after_today")
    assert future not in refused.text


async def test_a_home_return_phase_dated_before_the_last_phase_is_refused_with_422_unechoed(
    network_support,
) -> None:
    await network_support.post(HOME, headers=WORKER, json={"phase": "preparation", "on": "2026-10-01"})
    refused = await network_support.post(HOME, headers=WORKER, json={"phase": "trial", "on": "2025-01-01"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "phase_dated_before_previous")
    assert "2025-01-01" not in refused.text and "2026-10-01" not in refused.text
    shown = (await network_support.get(HOME, headers=WORKER)).json()
    assert shown["phase"] == "preparation"


async def test_a_home_return_phase_on_the_day_of_the_last_one_is_accepted(network_support) -> None:
    await network_support.post(HOME, headers=WORKER, json={"phase": "preparation", "on": "2026-10-01"})
    moved = await network_support.post(HOME, headers=WORKER, json={"phase": "trial", "on": "2026-10-01"})
    assert moved.status_code == 200, moved.text


async def test_a_refused_future_completion_leaves_the_return_home_to_the_placements_end(
    network_support,
) -> None:
    started = placement_data("C-1", "P-1", start_date="2026-11-01")
    ended = {**started, "end_date": "2026-12-02", "end_reason": "home_return"}
    hear(network_support, PLACEMENTS, cloud_event("se.placement.started.v1", started))
    await network_support.post(HOME, headers=WORKER, json={"phase": "preparation", "on": "2026-11-10"})
    await network_support.post(HOME, headers=WORKER, json={"phase": "completed", "on": "2030-01-01"})
    hear(network_support, PLACEMENTS, cloud_event("se.placement.ended.v1", ended))
    shown = (await network_support.get("/api/v1/cases/C-1/home-returns", headers=WORKER)).json()
    [process] = shown["processes"]
    assert process["phases"][-1] == ["follow_up", "2026-12-02"]
