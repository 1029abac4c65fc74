"""Referrals' part of a registerutdrag (GDPR art. 15, ADR 0018), over HTTP with real tokens.

Referrals is the one service that holds the child's personal identity number: it is asked with
the number in the request body and answers with the child's cases of the registrar's municipality.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from services.kit.domain.case_access import CaseAccess
from services.kit.domain.working_days import add_working_days
from services.kit.inbound import parse_record
from services.kit.worklist import local_today
from services.referrals.domain.referral import Referral
from tests.support.events import encode, placement_started, valid_pin
from tests.support.tokens import bearer

URL = "/api/v1/subject-access"
CHILD, SIBLING = valid_pin(31), valid_pin(32)
REGISTRAR = bearer("0380", ("registrar",), subject="registrar-4")
COORDINATOR = bearer("0380", ("coordinator",))


async def refer(
    client: httpx.AsyncClient,
    case_id: str,
    pin: str,
    *,
    municipality: str = "0380",
    protected: bool = False,
    target: str = "safety_team",
    child_status: str = "placed",
) -> None:
    body = {
        "case_id": case_id,
        "target": target,
        "child": {"pin": pin, "protected_identity": protected},
        "child_status": child_status,
        "case_worker_id": "cw-12",
        "reason": "safety planning with the network",
    }
    response = await client.post("/api/v1/referrals", json=body, headers=bearer(municipality))
    assert response.status_code == 201, response.text


def place(client: httpx.AsyncClient, case_id: str, pin: str) -> None:
    """A placement reported by the case system: referrals refers the child on its own."""
    event = parse_record(encode(placement_started(case_id, f"P-{case_id}", pin=pin)))
    client.app.state.runtime.app.refer_placed_child(event)  # type: ignore[attr-defined]


def position(client: httpx.AsyncClient) -> int:
    return client.app.state.runtime.app.recorder.max_notification_id() or 0  # type: ignore[attr-defined]


def access_records(client: httpx.AsyncClient, since: int) -> list[Any]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    stored = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(since + 1, 10_000)]
    return [e for e in stored if isinstance(e, CaseAccess.Recorded)]


async def test_a_registrar_gets_every_referral_of_the_child_by_case_and_never_the_number(referrals) -> None:
    await refer(referrals, "0380-SA-1", CHILD)
    place(referrals, "0380-SA-2", CHILD)
    await refer(referrals, "0380-SA-3", SIBLING)
    response = await referrals.post(URL, json={"pin": CHILD}, headers=REGISTRAR)
    assert response.status_code == 200, response.text
    part = response.json()
    assert (part["service"], part["municipality"], part["protected_identity"]) == ("referrals", "0380", False)
    assert [case["case_id"] for case in part["cases"]] == ["0380-SA-1", "0380-SA-2"]
    [manual], [automatic] = (case["referrals"] for case in part["cases"])
    assert (manual["reason"], automatic["origin"]) == ("safety planning with the network", "placement")
    assert CHILD not in response.text and "0380-SA-3" not in response.text


async def test_a_caller_without_the_registrar_role_is_refused_with_403_and_nothing_is_logged(
    referrals,
) -> None:
    await refer(referrals, "0380-SA-4", CHILD)
    before = position(referrals)
    every_other_role = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor", "ops")
    response = await referrals.post(URL, json={"pin": CHILD}, headers=bearer("0380", every_other_role))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert access_records(referrals, before) == []


@pytest.mark.usefixtures("every_municipality_offers_every_target")
async def test_another_municipalitys_registrar_gets_nothing_of_the_childs_cases_there(referrals) -> None:
    await refer(referrals, "0380-SA-5", CHILD)
    await refer(referrals, "1980-SA-5", CHILD, municipality="1980")
    response = await referrals.post(URL, json={"pin": CHILD}, headers=bearer("1980", ("registrar",)))
    assert [case["case_id"] for case in response.json()["cases"]] == ["1980-SA-5"]
    assert "0380-SA-5" not in response.text
    gavle = await referrals.post(URL, json={"pin": CHILD}, headers=bearer("2180", ("registrar",)))
    assert (gavle.status_code, gavle.json()["cases"]) == (200, [])


async def test_a_bad_personal_identity_number_is_refused_with_422_without_echoing_it(referrals) -> None:
    await refer(referrals, "0380-SA-10", CHILD)
    before = position(referrals)
    wrong_digit = CHILD[:-1] + str((int(CHILD[-1]) + 1) % 10)
    for bad in (wrong_digit, CHILD[2:], "20151315238" + "7", f"{CHILD[:8]}-{CHILD[8:]}", "ZQX" + CHILD[3:]):
        response = await referrals.post(URL, json={"pin": bad}, headers=REGISTRAR)
        assert response.status_code == 422, bad
        assert response.json()["error"]["details"][0]["field"] == "body.pin"
        assert bad not in response.text and bad[-10:] not in response.text
    assert access_records(referrals, before) == []


async def test_the_number_is_taken_from_the_body_only_never_from_the_url(referrals) -> None:
    response = await referrals.post(URL, params={"pin": CHILD}, json={"pin": CHILD}, headers=REGISTRAR)
    assert response.status_code == 422
    assert CHILD not in response.text


async def test_each_case_read_is_access_logged_with_purpose_registerutdrag_whatever_the_header_says(
    referrals,
) -> None:
    await refer(referrals, "0380-SA-6", CHILD)
    await refer(referrals, "0380-SA-7", CHILD)
    await refer(referrals, "0380-SA-7", CHILD, target="network_centre")  # two referrals of one case
    before = position(referrals)
    headers = {**REGISTRAR, "X-Access-Purpose": "case work"}
    assert (await referrals.post(URL, json={"pin": CHILD}, headers=headers)).status_code == 200
    records = access_records(referrals, before)
    logged = [(r.case_id, r.actor, r.resource, r.purpose, r.outcome) for r in records]
    assert logged == [
        (case_id, "registrar-4", "POST /subject-access", "registerutdrag", "granted")
        for case_id in ("0380-SA-6", "0380-SA-7")
    ]


async def test_a_child_with_a_protected_identity_is_marked_as_such(referrals) -> None:
    await refer(referrals, "0380-SA-8", CHILD)
    await refer(referrals, "0380-SA-9", CHILD, protected=True)
    response = await referrals.post(URL, json={"pin": CHILD}, headers=REGISTRAR)
    assert response.json()["protected_identity"] is True


async def test_a_registrar_gets_the_deadlines_missed_on_each_of_the_childs_cases(referrals) -> None:
    """Referrals stores a note of each missed deadline (the sweep's ``MissedDeadline``): it is held
    about the child's case, so the part lists it, with the case's referrals."""
    place(referrals, "0380-SA-11", CHILD)  # an automatic referral: nobody made responsible for it
    await refer(referrals, "0380-SA-12", CHILD, target="network_centre", child_status="placement_near")
    await refer(referrals, "0380-SA-13", SIBLING, target="network_centre", child_status="placement_near")
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    store.today = lambda: local_today() + timedelta(days=30)
    assert store.check_missed_deadlines() == 3
    response = await referrals.post(URL, json={"pin": CHILD}, headers=REGISTRAR)
    assert response.status_code == 200, response.text
    cases = {case["case_id"]: case for case in response.json()["cases"]}
    assigned, examined = cases["0380-SA-11"], cases["0380-SA-12"]
    due = (local_today() + timedelta(days=7)).isoformat()
    [missing_case_worker] = assigned["missed_deadlines"]
    assert (missing_case_worker["obligation"], missing_case_worker["due"]) == ("case_worker_assignment", due)
    assert missing_case_worker["referral_id"] == assigned["referrals"][0]["id"]
    assert missing_case_worker["responsible_role"] == "case_worker"
    [not_examined] = examined["missed_deadlines"]
    assert (not_examined["obligation"], not_examined["due"]) == ("safety_planning_examination", due)
    assert (not_examined["referral_id"], not_examined["responsible_role"]) == (None, "safety_team")
    assert "0380-SA-13" not in response.text


async def test_a_registrar_gets_each_missed_response_whether_noted_on_the_referral_or_since(
    referrals,
) -> None:
    """The sweep noted a response on the referral itself until 2026-12-05
    (``Referral.ResponseOverdue``), a ``MissedDeadline`` since (ADR 0025 addendum "a referral
    answered late"): both are held about the case, listed alike, in the order noted."""
    await refer(referrals, "0380-SA-21", CHILD, target="network_centre")
    await refer(referrals, "0380-SA-21", CHILD, target="safety_team")
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    page = await referrals.get("/api/v1/referrals", params={"case_id": "0380-SA-21"}, headers=COORDINATOR)
    made = {r["target"]: store.repository.get(UUID(r["id"])) for r in page.json()["items"]}
    old, new = made["network_centre"], made["safety_team"]
    due = add_working_days(local_today(), 3)
    old.trigger_event(Referral.ResponseOverdue, due=due)  # as the sweep stored it on the referral
    store.save(old)
    store.today = lambda: due + timedelta(days=1)
    assert store.check_response_deadlines() == 1
    response = await referrals.post(URL, json={"pin": CHILD}, headers=REGISTRAR)
    assert response.status_code == 200, response.text
    [case] = response.json()["cases"]
    listed = [
        (m["obligation"], m["referral_id"], m["due"], m["responsible_role"]) for m in case["missed_deadlines"]
    ]
    assert listed == [
        ("referral_response", str(old.id), due.isoformat(), "network_centre"),
        ("referral_response", str(new.id), due.isoformat(), "safety_team"),
    ]


async def test_a_registerutdrag_lists_no_missed_deadline_of_another_childs_referral_on_the_same_case(
    referrals,
) -> None:
    """A sibling's referral on the same case is left out of the child's registerutdrag, and so is the
    deadline missed on it (secrecy towards others in the record, ADR 0018)."""
    await refer(referrals, "0380-SA-40", SIBLING, target="network_centre")
    [sibling_id] = [
        r["id"]
        for r in (await referrals.get("/api/v1/referrals", headers=COORDINATOR)).json()["items"]
        if r["case_id"] == "0380-SA-40"
    ]
    declined = await referrals.post(
        f"/api/v1/referrals/{sibling_id}/decline", json={"reason": "not now"}, headers=COORDINATOR
    )
    assert declined.status_code == 200, declined.text
    await refer(referrals, "0380-SA-40", CHILD, target="safety_team")
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    store.today = lambda: local_today() + timedelta(days=30)
    assert store.check_missed_deadlines() == 1  # the sibling's decline was not followed up

    response = await referrals.post(URL, json={"pin": CHILD}, headers=REGISTRAR)

    assert response.status_code == 200, response.text
    [case] = response.json()["cases"]
    assert case["missed_deadlines"] == []
    assert sibling_id not in response.text
