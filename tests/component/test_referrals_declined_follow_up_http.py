"""A declined referral is the case worker's to follow up (ADR 0025 addendum "a declined referral"):
the child's concern is still there, and the case worker decides what happens next, then closes it.

On referrals' worklist as ``declined_referral_follow_up`` for the role ``case_worker``, the responsible
case worker as assignee where there is one, due 5 Swedish working days after the day it was
declined, until it is closed; never showing the decline's reason (free text)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx

from services.kit.domain.working_days import add_working_days
from services.kit.worklist import local_today
from services.referrals.domain.referral import Referral
from tests.component.test_referrals_case_worker_http import place
from tests.component.test_referrals_http import CASE_WORKER, COORDINATOR, PIN, create
from tests.support.events import valid_pin
from tests.support.tokens import bearer

WORKLIST = "/api/v1/worklist"
OBLIGATION = "declined_referral_follow_up"
REASON = "Familjen har redan kontakt med BUP, mamman vill inte"  # free text: may name people
ANOTHER_CASE_WORKER = bearer("0380", ("case_worker",), subject="cw-99")


async def follow_ups(client: httpx.AsyncClient, headers: Any = None, **params: object) -> list[dict]:
    response = await client.get(WORKLIST, headers=headers or CASE_WORKER, params=params)
    assert response.status_code == 200, response.text
    return [item for item in response.json()["items"] if item["obligation"] == OBLIGATION]


async def declined(client: httpx.AsyncClient, referral_id: str | None = None) -> str:
    """A referral (sent by ``CASE_WORKER``, responsible case worker ``cw-12``) the team declined."""
    if referral_id is None:
        made = await create(client, case_id=f"0380-{uuid.uuid4().hex[:6]}", child_status="placed")
        referral_id = made.json()["id"]
    answer = await client.post(
        f"/api/v1/referrals/{referral_id}/decline", json={"reason": REASON}, headers=COORDINATOR
    )
    assert answer.status_code == 200, answer.text
    return referral_id


async def close(client: httpx.AsyncClient, referral_id: str, headers: Any) -> httpx.Response:
    return await client.post(f"/api/v1/referrals/{referral_id}/close", headers=headers)


async def test_a_declined_referral_asks_its_case_worker_to_follow_it_up_within_five_working_days(
    referrals,
) -> None:
    referral_id = await declined(referrals)
    case_id = (await referrals.get(f"/api/v1/referrals/{referral_id}", headers=CASE_WORKER)).json()["case_id"]
    response = await referrals.get(WORKLIST, headers=CASE_WORKER, params={"role": "case_worker"})
    assert response.json()["items"] == [
        {
            "case_id": case_id,
            "obligation": OBLIGATION,
            "due": add_working_days(local_today(), 5).isoformat(),
            "overdue": False,
            "responsible_role": "case_worker",
            "assignee": "cw-12",
            "action_path": f"/api/v1/referrals/{referral_id}/close",
        }
    ]
    assert REASON not in response.text and PIN not in response.text


async def test_a_declined_referral_is_not_the_teams_that_declined_it(referrals) -> None:
    await declined(referrals)
    assert await follow_ups(referrals, COORDINATOR, role="network_centre") == []
    assert await follow_ups(referrals, COORDINATOR, role="coordinator") == []


async def test_the_case_worker_who_sent_a_declined_referral_closes_it_and_it_leaves_the_worklist(
    referrals,
) -> None:
    referral_id = await declined(referrals)
    closed = await close(referrals, referral_id, CASE_WORKER)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert await follow_ups(referrals) == []


async def test_the_responsible_case_worker_of_a_declined_referral_may_close_it(referrals) -> None:
    referral_id = await declined(referrals)
    closed = await close(referrals, referral_id, bearer("0380", ("case_worker",), subject="cw-12"))
    assert closed.status_code == 200, closed.text


async def test_another_case_worker_may_not_close_a_declined_referral_and_it_stays_listed(referrals) -> None:
    referral_id = await declined(referrals)
    refused = await close(referrals, referral_id, ANOTHER_CASE_WORKER)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_the_referring_case_worker")
    assert len(await follow_ups(referrals)) == 1


async def test_the_team_that_declined_a_referral_may_not_file_away_the_case_workers_follow_up(
    referrals,
) -> None:
    referral_id = await declined(referrals)
    refused = await close(referrals, referral_id, bearer("0380", ("network_centre",), subject="nc-1"))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_the_referring_case_worker")
    assert len(await follow_ups(referrals)) == 1


async def test_a_case_worker_may_still_not_close_an_accepted_referral(referrals) -> None:
    referral_id = (await create(referrals, child_status="placed")).json()["id"]
    await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    refused = await close(referrals, referral_id, CASE_WORKER)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_the_receiving_team")


async def test_a_declined_referral_nobody_was_responsible_for_is_any_case_workers_to_follow_up_and_close(
    referrals,
) -> None:
    referral_id = await declined(referrals, place(referrals, f"0380-{uuid.uuid4().hex[:6]}"))
    [item] = await follow_ups(referrals, role="case_worker")
    assert (item["assignee"], item["action_path"]) == (None, f"/api/v1/referrals/{referral_id}/close")
    assert (await close(referrals, referral_id, ANOTHER_CASE_WORKER)).status_code == 200
    assert await follow_ups(referrals) == []


async def test_a_declined_referral_not_closed_by_its_fifth_working_day_is_overdue_the_day_after(
    referrals,
) -> None:
    await declined(referrals)
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    store.today = lambda: add_working_days(local_today(), 5)
    assert await follow_ups(referrals, overdue="true") == []
    store.today = lambda: add_working_days(local_today(), 5) + timedelta(days=1)
    assert [i["assignee"] for i in await follow_ups(referrals, overdue="true")] == ["cw-12"]


async def test_a_referral_declined_before_follow_ups_were_asked_for_stays_off_the_worklist(referrals) -> None:
    """Declines stored before 2026-12-04 asked nobody to follow them up: listing them all, overdue
    at once, would bury today's duties (ADR 0025 addendum); they can still be found and closed."""
    old = Referral(
        case_id="0380-OLD-D", municipality="0380", target="network_centre", child_pin=valid_pin(4),
        protected_identity=False, child_status="placed", case_worker_id="cw-12", reason="concern",
        origin="manual", placement_id=None, referred_by="staff-1",
    )  # fmt: skip
    old.decline("not ours")
    events = old.collect_events()
    vars(events[-1]).pop("follow_up_asked")  # as stored before 2026-12-04
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    store.save(*events)
    assert await follow_ups(referrals) == []
    assert (await close(referrals, str(old.id), CASE_WORKER)).status_code == 200
