"""A command a referral refuses, over HTTP with a JWT: the refusal tells the caller of the referral's
case (closed, declined, revoked, still received, sent to another team, already open), so it is in
that case's access log like an answer, fail-closed (ARCHITECTURE §2.8)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from eventsourcing.persistence import OperationalError

from services.kit.domain.case_access import CaseAccess
from tests.component.test_referrals_http import create
from tests.support.tokens import bearer

CASE = "0380-R7"
SENDER = bearer("0380", ("case_worker",), subject="cw-12")  # the referrals' case_worker_id
COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
SAFETY_TEAM = bearer("0380", ("safety_team",), subject="st-1")
ANOTHER_WORKER = bearer("0380", ("case_worker",), subject="cw-99")
CALLERS = {"cw-12": SENDER, "coord-7": COORDINATOR, "st-1": SAFETY_TEAM, "cw-99": ANOTHER_WORKER}
BODIES: dict[str, Any] = {
    "decline": {"reason": "not our target group"},
    "case-worker": {"case_worker_id": "cw-13"},
}


def access_records(client: httpx.AsyncClient) -> list[Any]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, CaseAccess.Recorded)]


async def send(
    client: httpx.AsyncClient, referral_id: str, action: str, caller: str, body: Any = None
) -> httpx.Response:
    if action == "create":  # another referral of the case to the same team
        return await create(client, CALLERS[caller], case_id=CASE)
    url = f"/api/v1/referrals/{referral_id}/{action}"
    method = "PUT" if action == "case-worker" else "POST"
    return await client.request(method, url, json=body or BODIES.get(action), headers=CALLERS[caller])


async def a_referral(client: httpx.AsyncClient, *done: str) -> str:
    """A referral of ``CASE`` from ``cw-12``, taken through ``done`` by a coordinator."""
    created = await create(client, SENDER, case_id=CASE)
    assert created.status_code == 201, created.text
    referral_id = created.json()["id"]
    for action in done:
        assert (await send(client, referral_id, action, "coord-7")).status_code == 200
    return referral_id


# (the referral's past, the refused command, its caller, body), the answer
REFUSALS = {
    "accept a declined referral": (("decline",), "accept", "coord-7", None, 409, "transition_not_allowed"),
    "close a received referral": ((), "close", "coord-7", None, 409, "transition_not_allowed"),
    "revoke a closed referral": (("accept", "close"), "revoke", "cw-12", None, 409, "transition_not_allowed"),
    "assign a revoked referral": (("revoke",), "case-worker", "coord-7", None, 409, "transition_not_allowed"),
    "decline with a blank reason": ((), "decline", "coord-7", {"reason": "  "}, 422, "reason_required"),
    "a team it was not sent to": ((), "accept", "st-1", None, 403, "not_the_receiving_team"),
    "revoke by a stranger": ((), "revoke", "cw-99", None, 403, "not_the_referring_case_worker"),
    "refer a case again": ((), "create", "cw-12", None, 409, "referral_already_open"),
}


@pytest.mark.parametrize(
    ("past", "action", "caller", "body", "status", "code"), REFUSALS.values(), ids=REFUSALS
)
async def test_a_command_a_referral_refuses_is_logged_as_a_read_of_its_case(
    referrals, past: tuple[str, ...], action: str, caller: str, body: Any, status: int, code: str
) -> None:
    referral_id = await a_referral(referrals, *past)
    before = len(access_records(referrals))
    refused = await send(referrals, referral_id, action, caller, body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), refused.text
    [record] = access_records(referrals)[before:]
    assert (record.actor, record.municipality, record.case_id, record.outcome) == (
        caller,
        "0380",
        CASE,
        "granted",
    )


async def test_a_refusal_whose_access_record_cannot_be_stored_answers_503_and_says_nothing_of_the_referral(
    referrals, monkeypatch: pytest.MonkeyPatch
) -> None:
    referral_id = await a_referral(referrals, "decline")

    def unavailable(*_: object, **__: object) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(referrals.app.state.runtime.app, "record_access", unavailable)
    refused = await send(referrals, referral_id, "accept", "coord-7")
    assert refused.status_code == 503 and "declined" not in refused.text
