"""Each service asked by case id for its part of a registerutdrag (GDPR art. 15, ADR 0018).

Scheduling, network_support, collaboration and the case store are asked about the child's cases
(named by referrals' part), over HTTP with real tokens; each answers for the registrar's own
municipality only, names itself, and logs each case it shows with purpose ``registerutdrag``.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.kit.domain.case_access import CaseAccess
from services.kit.inbound import parse_record
from services.kit.subject_access import MAX_CASES
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures, day_from_today
from tests.support.events import encode, placement_started, valid_pin
from tests.support.tokens import bearer

URL = "/api/v1/subject-access"
CHILDS, OTHERS = "0380-SA-1", "0380-SA-2"  # the child's case; another child's
REGISTRAR = bearer("0380", ("registrar",), subject="registrar-4")
FOSTER_HOME_FROM_TODAY = {"placement_type": "familjehem", "from_date": day_from_today()}
STAFF = bearer("0380", ("case_worker", "coordinator", "family_home_consultant"), subject="cw-1")


def store_of(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


async def made(client: httpx.AsyncClient, method: str, url: str, body: Any) -> Any:
    response = await client.request(method, url, json=body, headers=STAFF)
    assert response.is_success, response.text
    return response.json()


# -- what each service holds about a case, put there as its users and events would ----------------
async def meeting(client: httpx.AsyncClient, case_id: str, day: int) -> None:
    times = {"start": f"2026-11-{day}T09:00:00", "end": f"2026-11-{day}T10:00:00"}
    staff = {"staff_ids": ["0380-family-therapist-1"], "kind": "network_meeting"}
    await made(client, "POST", "/api/v1/meetings", {"case_id": case_id, **times, **staff})


async def network(client: httpx.AsyncClient, case_id: str, day: int) -> None:
    store_of(client).placement_started(
        "0380", case_id, f"P-{case_id}", "familjehem", date(2026, 11, day), True
    )
    member = {"name": "Moster Anna", "relation": "aunt", "roles": ["support_person"], "contact_consent": True}
    await made(client, "POST", f"/api/v1/cases/{case_id}/network-map/members", member)


async def pool(client: httpx.AsyncClient, case_id: str, day: int) -> None:
    home = {"register_id": f"FH-{case_id}", "kind": "recruited", "capacity": 2, "age_min": 0, "age_max": 17}
    await made(client, "POST", "/api/v1/family-homes", home)
    event = placement_started(case_id, f"P-{case_id}", pin=valid_pin(day), family_home_id=f"FH-{case_id}")
    store_of(client).placement_started(parse_record(encode(event)))
    request = {"case_id": case_id, "partners": ["1980"], "age_band": "6-12", "protected_identity": False}
    await made(client, "POST", "/api/v1/matching-requests", {**request, **FOSTER_HOME_FROM_TODAY})


async def timeline(client: httpx.AsyncClient, case_id: str, day: int) -> None:
    received = ("referrals", "se.natverk.referral.received.v1", "cw-1", "referral received")
    store_of(client).record_event(case_id, "0380", f"k-{day}", datetime(2026, 11, day, tzinfo=UTC), *received)


def one_meeting(case: dict[str, Any]) -> bool:
    return [m["kind"] for m in case["meetings"]] == ["network_meeting"]


def the_aunt_and_the_placement(case: dict[str, Any]) -> bool:
    names = [member["name"] for member in case["network_map"]["members"]]
    return names == ["Moster Anna"] and [p["placement_id"] for p in case["placements"]] == [f"P-{CHILDS}"]


def the_request_and_the_home(case: dict[str, Any]) -> bool:
    [home] = case["residences"]
    return len(case["matching_requests"]) == 1 and home["register_id"] == f"FH-{CHILDS}"


def the_entry(case: dict[str, Any]) -> bool:
    return [entry["summary"] for entry in case["timeline"]] == ["referral received"]


Holding = Callable[[httpx.AsyncClient, str, int], Awaitable[None]]
SERVICES: dict[str, tuple[Holding, Callable[[dict[str, Any]], bool]]] = {
    "scheduling": (meeting, one_meeting),
    "network_support": (network, the_aunt_and_the_placement),
    "collaboration": (pool, the_request_and_the_home),
    "case_store": (timeline, the_entry),
}


@pytest.fixture(params=list(SERVICES))
async def service(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    create_app = importlib.import_module(f"services.{request.param}.app").create_app
    async with in_process(
        before_the_fixtures(create_app(make_settings(tmp_path), start_runtime=False)), "http://service"
    ) as client:
        client.service = request.param  # type: ignore[attr-defined]
        hold, _ = SERVICES[request.param]
        await hold(client, CHILDS, 24)
        await hold(client, OTHERS, 25)
        yield client


def position(client: httpx.AsyncClient) -> int:
    return store_of(client).recorder.max_notification_id() or 0


def access_records(client: httpx.AsyncClient, since: int) -> list[tuple[str, str, str, str]]:
    """(case id, actor, purpose, outcome) of each read logged since ``since``, wherever it is logged."""
    store = store_of(client)
    stored = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(since + 1, 10_000)]
    return [
        (
            getattr(e, "case_id", None) or store.repository.get(e.originator_id).case_id,
            e.actor,
            e.purpose,
            e.outcome,
        )
        for e in stored
        if isinstance(e, CaseAccess.Recorded) or type(e).__qualname__ == "CaseAccessLog.AccessRecorded"
    ]


async def test_each_service_answers_with_what_it_holds_about_the_cases_asked_about_naming_itself(
    service,
) -> None:
    response = await service.post(URL, json={"case_ids": [CHILDS, "0380-SA-NONE"]}, headers=REGISTRAR)
    assert response.status_code == 200, response.text
    part = response.json()
    assert (part["service"], part["municipality"]) == (service.service, "0380")
    [case] = part["cases"]
    assert case["case_id"] == CHILDS and SERVICES[service.service][1](case), case
    assert OTHERS not in response.text


async def test_each_case_shown_is_access_logged_with_purpose_registerutdrag(service) -> None:
    before = position(service)
    headers = {**REGISTRAR, "X-Access-Purpose": "case work"}
    assert (await service.post(URL, json={"case_ids": [CHILDS, CHILDS]}, headers=headers)).status_code == 200
    assert access_records(service, before) == [(CHILDS, "registrar-4", "registerutdrag", "granted")]


async def test_another_municipalitys_registrar_asking_about_the_same_case_ids_gets_nothing(service) -> None:
    before = position(service)
    for municipality in ("1980", "2180"):
        theirs = await service.post(
            URL, json={"case_ids": [CHILDS, OTHERS]}, headers=bearer(municipality, ("registrar",))
        )
        assert (theirs.status_code, theirs.json()["cases"]) == (200, [])
    assert access_records(service, before) == []


async def test_a_caller_without_the_registrar_role_is_refused_with_403(service) -> None:
    every_other_role = bearer(
        "0380", ("case_worker", "coordinator", "auditor", "ops", "family_home_consultant")
    )
    response = await service.post(URL, json={"case_ids": [CHILDS]}, headers=every_other_role)
    assert response.status_code == 403
    assert CHILDS not in response.text


async def test_too_many_case_ids_or_one_holding_a_personal_identity_number_are_refused_with_422_unechoed(
    service,
) -> None:
    pin = valid_pin(33)
    for case_ids in ([f"0380-{n}" for n in range(MAX_CASES + 1)], [f"0380-{pin}"], pin):
        response = await service.post(URL, json={"case_ids": case_ids}, headers=REGISTRAR)
        assert response.status_code == 422, response.text
        assert pin not in response.text
    number = await service.post(URL, json={"pin": pin}, headers=REGISTRAR)  # only referrals takes one
    assert number.status_code == 422 and pin not in number.text
