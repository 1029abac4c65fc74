"""A referral's responsible case worker: taken from the placement, assigned and changed over HTTP,
stored as an event and published (issue 15, item 3)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from services.kit.inbound import parse_record
from services.referrals.domain.referral import Referral
from services.referrals.publication import build_publication_table
from tests.component.test_referrals_http import create
from tests.support.events import encode, placement_started
from tests.support.tokens import bearer

CASE_WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",))
ASSIGNED = "se.natverk.referral.case_worker_assigned.v1"


async def assign(client: httpx.AsyncClient, referral_id: str, case_worker_id: str, headers: Any = None):
    return await client.put(
        f"/api/v1/referrals/{referral_id}/case-worker",
        json={"case_worker_id": case_worker_id},
        headers=headers or COORDINATOR,
    )


def place(client: httpx.AsyncClient, case_id: str, **data: Any) -> str:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    store.refer_placed_child(parse_record(encode(placement_started(case_id, f"P-{case_id}", **data))))
    return str(Referral.id_for_placement("0380", f"P-{case_id}"))


def published(client: httpx.AsyncClient) -> list[tuple[str, dict]]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]

    def facts_of(referral_id: Any) -> tuple[str, str, str]:
        referral = store.repository.get(referral_id)
        return referral.case_id, referral.municipality, referral.target

    table = build_publication_table(facts_of)
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 10_000)]
    return [
        (envelope.type, envelope.data)
        for event in events
        if isinstance(event, Referral.CaseWorkerAssigned)
        for _, envelope in table.cloud_events(event, 1)
    ]


async def test_an_auto_referral_takes_the_placements_case_worker(referrals) -> None:
    referral_id = place(referrals, f"0380-{uuid.uuid4().hex[:6]}", case_worker_id="handlaggare-7")
    shown = await referrals.get(f"/api/v1/referrals/{referral_id}", headers=COORDINATOR)
    assert shown.json()["case_worker_id"] == "handlaggare-7"


async def test_an_auto_referral_from_a_placement_without_one_is_unassigned(referrals) -> None:
    referral_id = place(referrals, f"0380-{uuid.uuid4().hex[:6]}")
    shown = await referrals.get(f"/api/v1/referrals/{referral_id}", headers=COORDINATOR)
    assert shown.json()["case_worker_id"] == "unassigned"


async def test_the_coordinator_assigns_and_the_responsible_case_worker_hands_the_referral_over(
    referrals,
) -> None:
    referral_id = place(referrals, f"0380-{uuid.uuid4().hex[:6]}")
    first = await assign(referrals, referral_id, "handlaggare-7")
    responsible = bearer("0380", ("case_worker",), subject="handlaggare-7")
    second = await assign(referrals, referral_id, "handlaggare-9", headers=responsible)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["case_worker_id"], second.json()["case_worker_id"]) == (
        "handlaggare-7",
        "handlaggare-9",
    )
    assert [(t, d["case_worker_id"]) for t, d in published(referrals)] == [
        (ASSIGNED, "handlaggare-7"),
        (ASSIGNED, "handlaggare-9"),
    ]


async def test_assigning_the_case_worker_already_responsible_changes_nothing(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]  # sent by cw-12
    again = await assign(referrals, referral_id, "cw-12")
    assert again.status_code == 200 and again.json()["version"] == 1
    assert published(referrals) == []


async def test_only_case_workers_and_coordinators_assign_a_case_worker(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    refused = await assign(referrals, referral_id, "handlaggare-7", headers=bearer("0380", ("auditor",)))
    assert refused.status_code == 403


async def test_a_declined_referral_gets_no_case_worker(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    await referrals.post(
        f"/api/v1/referrals/{referral_id}/decline", json={"reason": "x"}, headers=COORDINATOR
    )
    refused = await assign(referrals, referral_id, "handlaggare-7")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "transition_not_allowed"


async def test_another_municipalitys_referral_answers_404(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    other = await assign(referrals, referral_id, "handlaggare-7", headers=bearer("1980", ("coordinator",)))
    assert other.status_code == 404


async def test_any_case_worker_takes_an_unassigned_referral(referrals) -> None:
    referral_id = place(referrals, f"0380-{uuid.uuid4().hex[:6]}")  # made at placement: unassigned
    taken = await assign(referrals, referral_id, "staff-1", headers=CASE_WORKER)
    assert (taken.status_code, taken.json()["case_worker_id"]) == (200, "staff-1")


async def test_another_case_worker_cannot_take_over_a_referral_and_so_cannot_revoke_it(referrals) -> None:
    """Taking it over made any case worker one who may revoke it (and call off its staff meeting)."""
    referral_id = (await create(referrals)).json()["id"]  # sent by cw-12, responsible for it
    someone = bearer("0380", ("case_worker",), subject="cw-99")
    taken = await assign(referrals, referral_id, "cw-99", headers=someone)
    assert (taken.status_code, taken.json()["error"]["code"]) == (403, "not_the_referring_case_worker")
    revoked = await referrals.post(f"/api/v1/referrals/{referral_id}/revoke", headers=someone)
    assert revoked.status_code == 403
    handed = await assign(
        referrals, referral_id, "cw-99", headers=bearer("0380", ("case_worker",), subject="cw-12")
    )
    assert handed.status_code == 200  # the one responsible hands it over
