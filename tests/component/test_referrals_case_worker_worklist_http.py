"""A referral nobody is responsible for asks the case workers for one on the worklist (DOMAIN.md step
2: the staff meeting, within 7 days, is convened with the responsible case worker)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from services.kit.worklist import local_today
from tests.component.test_referrals_case_worker_http import assign, place
from tests.component.test_referrals_http import COORDINATOR, PIN

WORKLIST = "/api/v1/worklist"


async def items(client: httpx.AsyncClient, **params: object) -> list[dict]:
    response = await client.get(WORKLIST, headers=COORDINATOR, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def obligations(client: httpx.AsyncClient, **params: object) -> list[tuple[str, str]]:
    return [(i["obligation"], i["responsible_role"]) for i in await items(client, **params)]


def unassigned_auto_referral(client: httpx.AsyncClient) -> tuple[str, str]:
    """(case id, referral id) of a referral made at placement from a record naming no case worker."""
    case_id = f"0380-{uuid.uuid4().hex[:6]}"
    return case_id, place(client, case_id)


async def test_an_accepted_referral_nobody_is_responsible_for_asks_case_workers_to_take_it_by_the_staff_meeting_deadline(
    referrals,
) -> None:
    case_id, referral_id = unassigned_auto_referral(referrals)
    await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    response = await referrals.get(WORKLIST, headers=COORDINATOR)
    assert response.json()["items"] == [
        {
            "case_id": case_id,
            "obligation": "case_worker_assignment",
            "due": (local_today() + timedelta(days=7)).isoformat(),
            "overdue": False,
            "responsible_role": "case_worker",
            "assignee": None,
            "action_path": f"/api/v1/referrals/{referral_id}/case-worker",
        }
    ]
    assert PIN not in response.text


async def test_a_received_unassigned_referral_is_on_the_case_workers_list_and_its_response_on_the_teams(
    referrals,
) -> None:
    unassigned_auto_referral(referrals)
    assert sorted(await obligations(referrals)) == [
        ("case_worker_assignment", "case_worker"),
        ("referral_response", "network_centre"),
    ]
    assert await obligations(referrals, role="case_worker") == [("case_worker_assignment", "case_worker")]
    assert await obligations(referrals, role="network_centre") == [("referral_response", "network_centre")]


async def test_assigning_a_case_worker_takes_the_referral_off_the_case_workers_worklist(referrals) -> None:
    _, referral_id = unassigned_auto_referral(referrals)
    await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    assert len(await items(referrals, role="case_worker")) == 1
    assert (await assign(referrals, referral_id, "handlaggare-7")).status_code == 200
    assert await items(referrals, role="case_worker") == []


@pytest.mark.parametrize(
    ("steps", "body"), [(("decline",), {"reason": "not ours"}), (("accept", "revoke"), None)]
)
async def test_an_unassigned_referral_that_ends_asks_nobody_for_a_case_worker_any_more(
    referrals, steps: tuple[str, ...], body: dict | None
) -> None:
    _, referral_id = unassigned_auto_referral(referrals)
    assert len(await items(referrals, role="case_worker")) == 1
    for step in steps:
        done = await referrals.post(f"/api/v1/referrals/{referral_id}/{step}", json=body, headers=COORDINATOR)
        assert done.status_code == 200, done.text
    # a declined one is the case workers' to follow up instead (test_referrals_declined_follow_up_http)
    assert [i for i in await items(referrals) if i["obligation"] != "declined_referral_follow_up"] == []


async def test_an_unassigned_referral_is_overdue_from_the_eighth_day(referrals) -> None:
    unassigned_auto_referral(referrals)
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    store.today = lambda: local_today() + timedelta(days=7)
    assert await items(referrals, overdue="true", role="case_worker") == []
    store.today = lambda: local_today() + timedelta(days=8)
    assert await obligations(referrals, overdue="true", role="case_worker") == [
        ("case_worker_assignment", "case_worker")
    ]
