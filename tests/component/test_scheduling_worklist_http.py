"""Scheduling's worklist over HTTP (issue 16 item 3): staff meetings not yet held, due by their
day (or their deadline, if earlier), the coordinator on the meeting responsible."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from tests.support.tokens import bearer
from tests.support.worklists import published

COORDINATOR = bearer("0380", ("coordinator",))
MONDAY_MORNING = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
WORKLIST = "/api/v1/worklist"


def store(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def convene(client: httpx.AsyncClient, case_id: str = "0380-S1", municipality: str = "0380") -> None:
    app = store(client)
    app.clock = lambda: datetime(2026, 11, 23, 8, 0)
    # Its case worker assigned and booked: a meeting naming no role to fill (that duty has its own
    # tests, test_scheduling_roles_to_fill_http.py).
    app.convene_staff_meeting(
        str(uuid.uuid4()), "network_centre", case_id, municipality, "placed", "handlaggare-1", MONDAY_MORNING
    )


async def items(client: httpx.AsyncClient, headers: dict | None = None, **params: object) -> list[dict]:
    response = await client.get(WORKLIST, headers=headers or COORDINATOR, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_convened_staff_meeting_is_due_on_its_day_with_the_coordinator_responsible(
    scheduling,
) -> None:
    convene(scheduling)
    [item] = await items(scheduling)
    meeting_day = date.fromisoformat(item["due"])
    assert date(2026, 11, 24) <= meeting_day <= date(2026, 11, 30)  # within its 7-day deadline
    assert (item["case_id"], item["obligation"], item["overdue"]) == ("0380-S1", "staff_meeting", False)
    assert (item["responsible_role"], item["assignee"]) == ("coordinator", "0380-coordinator-1")
    assert item["action_path"].startswith("/api/v1/meetings/") and item["action_path"].endswith("/attendance")


async def test_a_held_staff_meeting_leaves_the_worklist(scheduling) -> None:
    convene(scheduling)
    [item] = await items(scheduling)
    store(scheduling).clock = lambda: datetime(2026, 11, 30, 17, 0)  # after the meeting
    held = await scheduling.post(
        item["action_path"], headers=COORDINATOR, json={"attended": ["0380-coordinator-1"], "outcome": "plan"}
    )
    assert held.status_code == 200, held.text
    assert await items(scheduling) == []


async def test_a_staff_meeting_not_held_by_its_day_is_overdue(scheduling) -> None:
    convene(scheduling)
    assert await items(scheduling, overdue="true") == []
    store(scheduling).clock = lambda: datetime(2026, 12, 1, 8, 0)
    [item] = await items(scheduling, overdue="true")
    assert item["overdue"] is True


async def test_the_worklist_filters_by_assignee(scheduling) -> None:
    convene(scheduling)
    assert len(await items(scheduling, assignee="0380-coordinator-1")) == 1
    assert await items(scheduling, assignee="0380-family-therapist-1") == []


async def test_another_municipalitys_staff_meetings_are_not_on_the_worklist(scheduling) -> None:
    convene(scheduling)
    assert await items(scheduling, headers=bearer("2180", ("coordinator",))) == []


async def test_the_worklist_is_paged_earliest_due_first(scheduling) -> None:
    for n in range(3):
        convene(scheduling, case_id=f"0380-S{n}")
    first = (await scheduling.get(WORKLIST, headers=COORDINATOR, params={"limit": 2})).json()
    rest = (
        await scheduling.get(
            WORKLIST, headers=COORDINATOR, params={"limit": 2, "cursor": first["next_cursor"]}
        )
    ).json()
    dues = [i["due"] for i in first["items"] + rest["items"]]
    assert len(dues) == 3 and dues == sorted(dues)
    assert rest["next_cursor"] is None


async def test_a_staff_meeting_not_held_by_its_day_raises_its_overdue_event_once(scheduling) -> None:
    convene(scheduling)
    [item] = await items(scheduling)
    assert store(scheduling).check_staff_meetings_held() == 0
    store(scheduling).clock = lambda: datetime(2026, 12, 1, 8, 0)
    assert store(scheduling).check_staff_meetings_held() == 1
    assert store(scheduling).check_staff_meetings_held() == 0
    [overdue] = published(scheduling, "se.natverk.meeting.staff_meeting_overdue.v1")
    assert (overdue.case_id, overdue.responsible_role, overdue.due.isoformat()) == (
        "0380-S1",
        "coordinator",
        item["due"],
    )


async def test_a_held_staff_meeting_raises_no_overdue_event(scheduling) -> None:
    convene(scheduling)
    [item] = await items(scheduling)
    attended = {"attended": ["0380-coordinator-1"], "outcome": "plan"}
    store(scheduling).clock = lambda: datetime(2026, 11, 30, 17, 0)  # after the meeting
    await scheduling.post(item["action_path"], headers=COORDINATOR, json=attended)
    store(scheduling).clock = lambda: datetime(2026, 12, 31, 8, 0)
    assert store(scheduling).check_staff_meetings_held() == 0


async def test_a_removed_coordinator_is_no_staff_meetings_assignee(scheduling) -> None:
    convene(scheduling)
    removed = await scheduling.delete("/api/v1/staff/0380-coordinator-1", headers=COORDINATOR)
    assert removed.status_code == 204
    listed = await items(scheduling)  # the staff meeting to hold, and the coordinator's place to fill
    assert sorted(item["obligation"] for item in listed) == ["meeting_role_unfilled", "staff_meeting"]
    assert {(item["responsible_role"], item["assignee"]) for item in listed} == {("coordinator", None)}


async def test_a_coordinator_asking_for_the_coordinators_items_gets_every_staff_meeting_to_hold(
    scheduling,
) -> None:
    convene(scheduling)
    [item] = await items(scheduling, role="coordinator")
    assert (item["obligation"], item["responsible_role"]) == ("staff_meeting", "coordinator")


@pytest.mark.parametrize("role", ["auditor", "network_centre", "janitor7"])
async def test_a_role_that_holds_no_scheduling_duty_is_refused_naming_the_field_not_the_value(
    scheduling, role: str
) -> None:
    """Only the coordinator convenes the staff meeting and makes room for one not booked (DOMAIN.md
    step 2, ADR 0028); an empty list would read as "nothing to do" for a team or a misspelling."""
    convene(scheduling)
    response = await scheduling.get(WORKLIST, headers=COORDINATOR, params={"role": role})
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["field"] == "query.role" and "coordinator" in detail["message"]
    assert role not in response.text
