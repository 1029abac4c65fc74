"""A command a case's map, plan, inquiry, process or placement refuses, over HTTP with a JWT: the
refusal tells the caller of the case (concluded, closed, full, still open, who is on the map, when
the placement began), so it is in the case's access log like an answer, fail-closed (§2.8)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from eventsourcing.persistence import OperationalError

from services.kit.domain.case_access import CaseAccess
from services.network_support.app import create_app
from tests.component.conftest import in_process, service_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker", "safety_team"), subject="cw-17")
TODAY = date(2026, 12, 3)
CASE = "/api/v1/cases/C-1"
PLAN, MAP, HOME = f"{CASE}/safety-plan", f"{CASE}/network-map/members", f"{CASE}/home-return"
SUPPORT, PLACEMENT = "/api/v1/referrals/R-1/support-plan", "/api/v1/placements/P-1"
OUTCOME = {"outcome": "not_suitable", "reason": "no one in the network can take the child"}
Setup = Callable[[httpx.AsyncClient], Awaitable[None]]


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: TODAY
    async with in_process(app, "http://network-support") as client:
        yield client


def access_records(client: httpx.AsyncClient) -> list[Any]:
    store = service_app(client)
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, CaseAccess.Recorded)]


def on(day: str, **body: Any) -> dict[str, Any]:
    return {"on": day, **body}


async def done(client: httpx.AsyncClient, *commands: tuple[str, str, Any]) -> None:
    for method, url, body in commands:
        response = await client.request(method, url, json=body, headers=WORKER)
        assert response.status_code in (200, 201), response.text


async def concluded_safety_plan(client: httpx.AsyncClient) -> None:
    await done(
        client, ("POST", PLAN, None), ("POST", f"{PLAN}/conclude", on("2026-12-03", reason="child_placed"))
    )


async def support_plan(client: httpx.AsyncClient, goals: int = 0) -> None:
    service_app(client).referral_accepted("R-1", "C-1", "0380", "network_centre")
    await done(client, *[("POST", f"{SUPPORT}/goals", {"goal": f"goal {n}"}) for n in range(goals)])


async def closed_support_plan(client: httpx.AsyncClient) -> None:
    await support_plan(client)
    service_app(client).referral_ended("R-1", "0380", "referral_closed")


async def placed(client: httpx.AsyncClient, *roles: str) -> None:
    """Placed on 2026-11-02, no school change; a member of the map with ``roles``, no consent."""
    service_app(client).placement_started("0380", "C-1", "P-1", "familjehem", date(2026, 11, 2), False)
    member = {"name": "Aunt Kept Here", "relation": "aunt", "roles": list(roles), "contact_consent": True}
    await done(client, ("POST", MAP, member))


async def concluded_inquiry(client: httpx.AsyncClient) -> None:
    await placed(client)
    await done(client, ("POST", f"{PLACEMENT}/inquiry/outcome", OUTCOME))


async def a_member_in_a_rule(client: httpx.AsyncClient) -> None:
    await placed(client)
    await done(
        client,
        ("POST", PLAN, None),
        ("POST", f"{PLAN}/rules", {"text": "calls", "responsible_member_ids": [1]}),
    )


async def a_home_return_begun(client: httpx.AsyncClient) -> None:
    await done(client, ("POST", HOME, {"phase": "trial", "on": "2026-11-20"}))


GOALS, DELETE, PUT = f"POST {SUPPORT}/goals", f"DELETE {MAP}/1", f"PUT {MAP}/9"
SCALE = {"statement_id": 1, "value": 5, "on": "2026-12-01", "meeting_id": "M-9"}
NAMING_NO_MEMBER = {"text": "x", "responsible_member_ids": [9]}
# the case's past, the refused request, its body, the answer
REFUSALS: dict[str, tuple[Setup, str, Any, str]] = {
    "a concluded safety plan": (
        concluded_safety_plan,
        f"POST {PLAN}/follow-ups",
        on("2026-12-01"),
        "409 safety_plan_concluded",
    ),
    "a closed support plan": (closed_support_plan, GOALS, {"goal": "more"}, "409 support_plan_closed"),
    "a full support plan": (lambda c: support_plan(c, 30), GOALS, {"goal": "more"}, "409 support_plan_full"),
    "an action not in the plan": (
        support_plan,
        f"POST {SUPPORT}/actions/9/complete",
        None,
        "404 unknown_action",
    ),
    "a concluded inquiry": (
        concluded_inquiry,
        f"POST {PLACEMENT}/inquiry/outcome",
        OUTCOME,
        "409 inquiry_concluded",
    ),
    "a candidate without consent": (
        lambda c: placed(c, "possible_network_home"),
        f"POST {PLACEMENT}/inquiry/candidates",
        None,
        "422 consent_missing",
    ),
    "a member named by a rule": (a_member_in_a_rule, DELETE, None, "409 member_named_by_rule"),
    "a member not on the map": (
        placed,
        PUT,
        {"relation": "aunt", "contact_consent": True},
        "404 unknown_member",
    ),
    "a rule naming no member": (
        a_member_in_a_rule,
        f"POST {PLAN}/rules",
        NAMING_NO_MEMBER,
        "422 responsible_not_on_map",
    ),
    "a scale from no meeting": (a_member_in_a_rule, f"POST {PLAN}/scales", SCALE, "422 unknown_meeting"),
    "a phase not next": (
        a_home_return_begun,
        f"POST {HOME}",
        on("2026-11-21", phase="preparation"),
        "409 phase_not_allowed",
    ),
    "a phase before the last": (
        a_home_return_begun,
        f"POST {HOME}",
        on("2026-11-19", phase="follow_up"),
        "422 phase_dated_before_previous",
    ),
    "a process still open": (
        a_home_return_begun,
        f"POST {CASE}/home-returns",
        on("2026-11-21", phase="trial"),
        "409 process_already_open",
    ),
    "before the placement": (
        placed,
        f"POST {PLACEMENT}/examinations",
        on("2026-11-01", kind="health"),
        "422 before_placement",
    ),
    "no school change": (placed, f"POST {PLACEMENT}/school-start", on("2026-11-05"), "409 no_school_change"),
}


@pytest.mark.parametrize(("past", "request_line", "body", "answer"), REFUSALS.values(), ids=REFUSALS)
async def test_a_command_a_case_object_refuses_is_logged_as_a_read_of_its_case(
    network_support, past: Setup, request_line: str, body: Any, answer: str
) -> None:
    await past(network_support)
    before = len(access_records(network_support))
    method, url = request_line.split(" ")
    refused = await network_support.request(method, url, json=body, headers=WORKER)
    assert f"{refused.status_code} {refused.json()['error']['code']}" == answer, refused.text
    [record] = access_records(network_support)[before:]
    assert (record.actor, record.municipality, record.case_id, record.outcome) == (
        "cw-17",
        "0380",
        "C-1",
        "granted",
    )


async def test_a_refusal_whose_access_record_cannot_be_stored_answers_503_and_says_nothing_of_the_plan(
    network_support, monkeypatch: pytest.MonkeyPatch
) -> None:
    await concluded_safety_plan(network_support)

    def unavailable(*_: object, **__: object) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(service_app(network_support), "record_access", unavailable)
    refused = await network_support.post(f"{PLAN}/follow-ups", json=on("2026-12-01"), headers=WORKER)
    assert refused.status_code == 503 and "concluded" not in refused.text
