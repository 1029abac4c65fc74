"""Odd callers over HTTP: tokens, headers, query strings and bodies that the other security tests
(the command-path walker, the schemathesis run, the JWT abuse list) do not try.

Each app is built by its own factory on a fresh SQLite store without its runtime (no broker).
Every answer must be JSON with an error code (never a bare 500), must not repeat what the caller
sent, and odd values must be refused at the edge rather than stored verbatim or half-read.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.case_store.app import create_app as create_case_store
from services.collaboration.app import create_app as create_collaboration
from services.kit.domain.case_access import CaseAccess
from services.kit.settings import DEV_JWT_SECRET
from services.kit.token_minting import mint_token
from services.network_support.app import create_app as create_network_support
from services.referrals.app import create_app as create_referrals
from services.scheduling.app import create_app as create_scheduling
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures
from tests.support.events import valid_pin
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator", "family_home_consultant"))
REFERRALS = "/api/v1/referrals"
PIN_SHAPED = "199001011234"


def token(**claims: Any) -> dict[str, str]:
    """A development token of a 0380 case worker whose ``claims`` replace the usual ones."""
    return {
        "Authorization": f"Bearer {mint_token(DEV_JWT_SECRET, 'staff-1', '0380', ['case_worker'], **claims)}"
    }


def new_referral() -> dict[str, Any]:
    return {
        "case_id": f"0380-{uuid.uuid4().hex[:6]}",
        "target": "network_centre",
        "child": {"pin": valid_pin(), "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-12",
        "reason": "network strengthening",
    }


def with_header(name: str, value: bytes) -> list[tuple[bytes, bytes]]:
    """The case worker's headers and one raw header (bytes: what a client may really send)."""
    return [*((k.encode(), v.encode()) for k, v in WORKER.items()), (name.encode(), value)]


def stored_purposes(client: httpx.AsyncClient) -> list[str]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 10_000)]
    return [event.purpose for event in events if isinstance(event, CaseAccess.Recorded)]


@pytest.fixture
async def referrals(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_referrals(make_settings(tmp_path, max_body_bytes=4096), start_runtime=False)
    async with in_process(app, "http://referrals") as client:
        yield client


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_network_support(make_settings(tmp_path), start_runtime=False)
    async with in_process(app, "http://network-support") as client:
        yield client


async def test_a_safety_plan_read_as_of_the_last_day_of_the_calendar_is_not_a_server_error(
    network_support: httpx.AsyncClient,
) -> None:
    assert (await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)).status_code == 201
    response = await network_support.get("/api/v1/cases/C-1/safety-plan?as_of=9999-12-31", headers=WORKER)
    assert response.status_code in (200, 422)
    assert response.headers["content-type"] == "application/json"


async def test_an_unknown_query_parameter_is_refused_without_repeating_its_name(
    referrals: httpx.AsyncClient,
) -> None:
    response = await referrals.get(f"{REFERRALS}?{PIN_SHAPED}=1", headers=WORKER)
    assert response.status_code == 422
    assert PIN_SHAPED not in response.text


async def test_an_unknown_query_parameter_is_answered_with_the_names_that_are_allowed(
    referrals: httpx.AsyncClient,
) -> None:
    response = await referrals.get(f"{REFERRALS}?{PIN_SHAPED}=1", headers=WORKER)
    assert response.json()["error"]["details"] == [
        {"field": "query", "message": "unknown query parameter (allowed: case_id, cursor, limit)"}
    ]


async def test_a_repeated_query_parameter_is_named_by_its_own_code(referrals: httpx.AsyncClient) -> None:
    response = await referrals.get(f"{REFERRALS}?limit=1&limit=2", headers=WORKER)
    assert response.json()["error"]["code"] == "repeated_query_parameter"


async def test_a_repeated_query_parameter_is_refused_rather_than_one_of_them_silently_chosen(
    referrals: httpx.AsyncClient,
) -> None:
    response = await referrals.get(f"{REFERRALS}?case_id=C-1&case_id=C-2", headers=WORKER)
    assert response.status_code == 422


async def test_a_timeline_as_of_given_as_a_unix_number_is_refused_as_not_rfc_3339(tmp_path: Path) -> None:
    app = create_case_store(make_settings(tmp_path), start_runtime=False)
    async with in_process(app, "http://case-store") as client:
        response = await client.get("/api/v1/cases/C-1/timeline?as_of=1700000000", headers=WORKER)
    assert response.status_code == 422


async def test_a_timeline_as_of_past_the_last_day_of_the_calendar_in_utc_is_refused(tmp_path: Path) -> None:
    app = create_case_store(make_settings(tmp_path), start_runtime=False)
    async with in_process(app, "http://case-store") as client:
        response = await client.get(
            "/api/v1/cases/C-1/timeline", params={"as_of": "9999-12-31T23:00:00-05:00"}, headers=WORKER
        )
    assert response.status_code == 422


async def test_an_access_purpose_with_c1_control_characters_is_refused(referrals: httpx.AsyncClient) -> None:
    # 0x9b is the 8-bit CSI of a terminal escape, 0x85 the NEL line break.
    headers = with_header("X-Access-Purpose", b"case work\x9b31m\x85forged")
    response = await referrals.post(REFERRALS, json=new_referral(), headers=headers)
    assert response.status_code == 400
    assert stored_purposes(referrals) == []


async def test_an_access_purpose_in_utf_8_is_stored_as_written_or_refused(
    referrals: httpx.AsyncClient,
) -> None:
    purpose = "utredning enligt 11 kap. 1 § SoL, Åsa"
    response = await referrals.post(
        REFERRALS, json=new_referral(), headers=with_header("X-Access-Purpose", purpose.encode())
    )
    assert response.status_code == 400 or stored_purposes(referrals) == [purpose]


async def test_an_access_purpose_that_is_not_utf_8_is_refused(referrals: httpx.AsyncClient) -> None:
    response = await referrals.post(
        REFERRALS, json=new_referral(), headers=with_header("X-Access-Purpose", b"case work \xff\xfe")
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_access_purpose"


async def test_a_token_whose_sub_holds_control_characters_is_refused(referrals: httpx.AsyncClient) -> None:
    response = await referrals.get(REFERRALS, headers=token(sub="staff-1\n\x1b[2Jauditor-9"))
    assert response.status_code == 401


async def test_a_token_whose_sub_is_longer_than_an_attribution_keeps_is_refused(
    referrals: httpx.AsyncClient,
) -> None:
    # Attribution keeps 200 characters: two longer subjects sharing them would be one "who".
    response = await referrals.get(REFERRALS, headers=token(sub="staff-" + "x" * 300))
    assert response.status_code == 401


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
async def test_a_token_whose_time_claim_is_a_string_is_refused(
    referrals: httpx.AsyncClient, claim: str
) -> None:
    now = int(time.time())
    response = await referrals.get(
        REFERRALS, headers=token(**{claim: str(now + 600 if claim == "exp" else now)})
    )
    assert response.status_code == 401


async def test_a_token_whose_time_claim_is_a_boolean_is_refused(referrals: httpx.AsyncClient) -> None:
    response = await referrals.get(REFERRALS, headers=token(nbf=True))
    assert response.status_code == 401


async def test_a_request_with_two_authorization_headers_is_refused(referrals: httpx.AsyncClient) -> None:
    headers = [("Authorization", WORKER["Authorization"]), ("Authorization", "Bearer someone-else")]
    response = await referrals.get(REFERRALS, headers=headers)
    assert response.status_code in (400, 401)


async def test_a_chunked_body_over_the_limit_is_refused_as_too_large(referrals: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b" " * 1024

    headers = {**WORKER, "Content-Type": "application/json"}
    response = await referrals.post(REFERRALS, content=chunks(), headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_a_chunked_body_within_the_limit_is_read_as_any_other(referrals: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield json.dumps(new_referral()).encode()

    headers = {**WORKER, "Content-Type": "application/json"}
    response = await referrals.post(REFERRALS, content=chunks(), headers=headers)
    assert response.status_code == 201


def meeting(start: str, end: str, **series: int) -> dict[str, Any]:
    return {
        "case_id": "0380-77",
        "kind": "network_meeting",
        "start": start,
        "end": end,
        "staff_ids": ["0380-family-therapist-1"],
        "other_participants": ["parent"],
        **series,
    }


@pytest.mark.parametrize(
    "body",
    [
        meeting("0001-01-01T00:00:00", "0001-01-01T01:00:00"),
        meeting("9999-12-01T09:00:00", "9999-12-01T10:00:00", repeat_weeks=2, occurrences=4),
    ],
    ids=["on the first day of the calendar", "as a series running past its last day"],
)
async def test_a_meeting_at_the_edge_of_the_calendar_is_refused_not_a_server_error(
    tmp_path: Path, body: dict[str, Any]
) -> None:
    app = before_the_fixtures(create_scheduling(make_settings(tmp_path), start_runtime=False))
    async with in_process(app, "http://scheduling") as client:
        response = await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)
    assert response.status_code == 422


async def test_an_activity_whose_start_has_no_zone_is_refused_not_a_server_error(tmp_path: Path) -> None:
    body = {
        "kind": "training",
        "title": "T",
        "starts_at": "2030-01-01T10:00:00",
        "seats": 3,
        "open_to": ["1980"],
    }
    app = create_collaboration(make_settings(tmp_path), start_runtime=False)
    async with in_process(app, "http://collaboration") as client:
        response = await client.post("/api/v1/activities", json=body, headers=COORDINATOR)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "written", ["{pin}", "{pin:.8}-{pin_last}", "{pin_short}-{pin_last}", "staff {pin_short}{pin_last}"]
)
async def test_a_token_whose_sub_holds_a_personal_identity_number_is_refused_without_repeating_it(
    referrals: httpx.AsyncClient, written: str
) -> None:
    # Who acted is stored on every event and published in access records: never a personnummer.
    pin = valid_pin()
    sub = written.format(pin=pin, pin_short=pin[2:8], pin_last=pin[8:])
    response = await referrals.get(REFERRALS, headers=token(sub=sub))
    assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthenticated"), response.text
    assert pin[2:8] not in response.text and pin[8:] not in response.text


async def test_a_token_whose_sub_is_an_employee_number_of_digits_is_still_accepted(
    referrals: httpx.AsyncClient,
) -> None:
    response = await referrals.get(REFERRALS, headers=token(sub=PIN_SHAPED[:-1] + "5"))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("written", ["{pin}", "{pin_short}-{pin_last}"])
async def test_an_access_purpose_holding_a_personal_identity_number_is_refused_and_nothing_is_stored(
    referrals: httpx.AsyncClient, written: str
) -> None:
    pin = valid_pin()
    purpose = "utredning av " + written.format(pin=pin, pin_short=pin[2:8], pin_last=pin[8:])
    response = await referrals.post(
        REFERRALS, json=new_referral(), headers=with_header("X-Access-Purpose", purpose.encode())
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_access_purpose")
    assert pin[8:] not in response.text
    assert stored_purposes(referrals) == []
    listed = await referrals.get(REFERRALS, headers=[*with_header("X-Access-Purpose", purpose.encode())])
    assert listed.status_code == 400
    assert stored_purposes(referrals) == []
