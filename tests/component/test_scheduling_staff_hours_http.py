"""A coordinator changes a roster member's working hours and weekly capacity in place, over HTTP
with a JWT (``PATCH /api/v1/staff/{staff_id}``): before, removing and registering them again was
the only way, and it stood them down from every meeting not yet begun.  Their meetings stay as
booked; those not yet begun that now lie outside the hours are named, by id and time, and the
answer is logged as a read of their cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest
from eventsourcing.persistence import OperationalError

from services.kit.attribution import Attribution
from services.kit.domain.case_access import CaseAccess
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.publication import build_publication_table
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
THERAPIST = "0380-family-therapist-1"  # the roster's default day: 08:00-16:30, 40 hours a week
MEMBER = f"/api/v1/staff/{THERAPIST}"
EVENINGS = {"work_starts": "12:00", "work_ends": "20:00"}


def store_of(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def stored(client: httpx.AsyncClient, kind: type) -> list[Any]:
    store = store_of(client)
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, kind)]


async def booked_at(client: httpx.AsyncClient, hour: int, case_id: str = "0380-77", day: int = 24) -> str:
    times = {"start": f"2026-11-{day}T{hour:02d}:00:00", "end": f"2026-11-{day}T{hour + 1:02d}:00:00"}
    body = {"case_id": case_id, "kind": "network_meeting", "staff_ids": [THERAPIST], **times}
    answer = await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text
    return answer.json()[0]["meeting_id"]


async def test_a_coordinator_changes_a_members_hours_and_capacity_and_the_roster_books_by_them(
    scheduling,
) -> None:
    changed = await scheduling.patch(
        MEMBER, json=EVENINGS | {"weekly_capacity_hours": 30}, headers=COORDINATOR
    )
    assert changed.status_code == 200, changed.text
    shown = changed.json()
    assert (shown["work_starts"], shown["work_ends"], shown["weekly_capacity_hours"]) == (
        "12:00",
        "20:00",
        30,
    )
    roster = (await scheduling.get("/api/v1/staff", headers=COORDINATOR)).json()["items"]
    [listed] = [row for row in roster if row["staff_id"] == THERAPIST]
    assert (listed["work_starts"], listed["work_ends"], listed["weekly_capacity_hours"]) == (
        "12:00",
        "20:00",
        30,
    )
    await booked_at(scheduling, 18)  # an evening, now within their hours: no 409 outside_working_hours


async def test_what_a_change_leaves_out_is_kept(scheduling) -> None:
    changed = await scheduling.patch(MEMBER, json={"weekly_capacity_hours": 20}, headers=COORDINATOR)
    assert changed.status_code == 200, changed.text
    shown = changed.json()
    assert (shown["work_starts"], shown["work_ends"], shown["weekly_capacity_hours"]) == (
        "08:00",
        "16:30",
        20,
    )


async def test_new_hours_name_the_upcoming_meetings_now_outside_them_and_leave_every_meeting_booked(
    scheduling,
) -> None:
    morning, afternoon = await booked_at(scheduling, 9), await booked_at(scheduling, 13, day=25)
    changed = await scheduling.patch(MEMBER, json=EVENINGS, headers=COORDINATOR)
    assert changed.status_code == 200, changed.text
    outside = changed.json()["outside_hours"]
    assert [(m["meeting_id"], m["start"], m["end"]) for m in outside] == [
        (morning, "2026-11-24T09:00:00", "2026-11-24T10:00:00")
    ]
    assert changed.json()["outside_hours_count"] == 1
    assert "0380-77" not in changed.text  # by id and time: the case is the calendar's to show
    for meeting_id, start in ((morning, "2026-11-24T09:00:00"), (afternoon, "2026-11-25T13:00:00")):
        shown = (await scheduling.get(f"/api/v1/meetings/{meeting_id}", headers=COORDINATOR)).json()
        assert (shown["start"], shown["staff_ids"], shown["status"]) == (start, [THERAPIST], "booked")


async def test_meetings_on_a_weekend_or_swedish_public_holiday_are_named_outside_the_new_hours(
    scheduling,
) -> None:
    """Within the hours by the clock, but on a day off: outside working time, as a booking by hand
    of that time is refused (409 ``outside_working_hours``) unless made knowingly."""
    days_off = [("2026-11-28", "0380-77"), ("2026-12-24", "0380-78")]  # a Saturday, Christmas Eve
    knowingly = []
    for day, case_id in days_off:
        body = {"case_id": case_id, "kind": "visitation", "staff_ids": [THERAPIST]}
        body |= {"start": f"{day}T10:00:00", "end": f"{day}T11:00:00", "outside_working_hours": True}
        answer = await scheduling.post("/api/v1/meetings", json=body, headers=COORDINATOR)
        assert answer.status_code == 201, answer.text
        knowingly.append(answer.json()[0]["meeting_id"])
    await booked_at(scheduling, 10, day=25)  # a Wednesday, within the new hours
    changed = await scheduling.patch(MEMBER, json={"work_starts": "09:00"}, headers=COORDINATOR)
    assert changed.status_code == 200, changed.text
    assert [m["meeting_id"] for m in changed.json()["outside_hours"]] == knowingly
    assert changed.json()["outside_hours_count"] == 2


async def test_a_meeting_already_begun_is_not_named_among_those_outside_the_new_hours(scheduling) -> None:
    await booked_at(scheduling, 9)
    store_of(scheduling).clock = lambda: datetime(2026, 11, 24, 9, 30)
    changed = await scheduling.patch(MEMBER, json=EVENINGS, headers=COORDINATOR)
    assert (changed.status_code, changed.json()["outside_hours"]) == (200, []), changed.text


async def test_an_answer_naming_meetings_is_logged_as_a_read_of_their_cases(scheduling) -> None:
    await booked_at(scheduling, 9)
    await booked_at(scheduling, 10, case_id="0380-78", day=26)
    before = len(stored(scheduling, CaseAccess.Recorded))
    assert (await scheduling.patch(MEMBER, json=EVENINGS, headers=COORDINATOR)).status_code == 200
    logged = stored(scheduling, CaseAccess.Recorded)[before:]
    assert sorted((r.case_id, r.actor, r.outcome) for r in logged) == [
        ("0380-77", "coord-7", "granted"),
        ("0380-78", "coord-7", "granted"),
    ]


async def test_an_answer_naming_meetings_is_503_and_changes_nothing_when_its_read_cannot_be_logged(
    scheduling, monkeypatch: pytest.MonkeyPatch
) -> None:
    await booked_at(scheduling, 9)

    def unavailable(*_: object, **__: object) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(store_of(scheduling), "record_access", unavailable)
    refused = await scheduling.patch(MEMBER, json=EVENINGS, headers=COORDINATOR)
    assert refused.status_code == 503, refused.text
    assert stored(scheduling, StaffMember.HoursChanged) == []


async def test_a_change_of_hours_is_attributed_to_its_caller_and_not_published(scheduling) -> None:
    why = {"X-Access-Purpose": "roster planning"}
    assert (await scheduling.patch(MEMBER, json=EVENINGS, headers=COORDINATOR | why)).status_code == 200
    [change] = stored(scheduling, StaffMember.HoursChanged)
    assert Attribution.of(change, "?") == Attribution("coord-7", "roster planning")
    table = build_publication_table(lambda *_: None)
    assert list(table.cloud_events(change, 1)) == []  # the roster is scheduling's own, as before


async def test_a_change_retried_with_its_idempotency_key_is_stored_once_and_answered_as_at_first(
    scheduling,
) -> None:
    await booked_at(scheduling, 9)
    keyed = COORDINATOR | {"Idempotency-Key": "hours-1"}
    first = await scheduling.patch(MEMBER, json=EVENINGS, headers=keyed)
    again = await scheduling.patch(MEMBER, json=EVENINGS, headers=keyed)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers.get("idempotent-replayed") == "true"
    assert len(stored(scheduling, StaffMember.HoursChanged)) == 1
    other = await scheduling.patch(MEMBER, json={"work_starts": "07:00"}, headers=keyed)
    assert (other.status_code, other.json()["error"]["code"]) == (422, "idempotency_key_reused")


async def test_the_hours_of_a_member_removed_from_the_roster_are_refused_as_removed(scheduling) -> None:
    assert (await scheduling.delete(MEMBER, headers=COORDINATOR)).status_code == 204
    refused = await scheduling.patch(MEMBER, json=EVENINGS, headers=COORDINATOR)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "staff_member_removed")
    assert stored(scheduling, StaffMember.HoursChanged) == []


@pytest.mark.parametrize(
    "caller",
    [COORDINATOR, bearer("1980", ("coordinator",), subject="enk-3")],
    ids=["never on the roster", "another municipality's member"],
)
async def test_the_hours_of_someone_not_on_the_callers_roster_are_not_found(scheduling, caller) -> None:
    staff_id = "0380-nobody" if caller is COORDINATOR else THERAPIST
    missing = await scheduling.patch(f"/api/v1/staff/{staff_id}", json=EVENINGS, headers=caller)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")


async def test_only_a_coordinator_or_ops_may_change_someones_hours(scheduling) -> None:
    worker = bearer("0380", ("network_centre", "case_worker"), subject="nc-1")
    assert (await scheduling.patch(MEMBER, json=EVENINGS, headers=worker)).status_code == 403
    ops = bearer("0380", ("ops",), subject="ops-1")
    assert (await scheduling.patch(MEMBER, json=EVENINGS, headers=ops)).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"work_starts": "18:00", "work_ends": "09:00"}, "work_ends"),
        ({"work_starts": "25:61"}, "work_starts"),
        ({"weekly_capacity_hours": 0}, "weekly_capacity_hours"),
        ({"role": "coordinator"}, "role"),
        ({}, "work_starts"),
    ],
    ids=["ends before it starts", "not a time", "no capacity", "not a field of hours", "nothing"],
)
async def test_hours_that_are_not_valid_are_422_naming_the_field_without_echoing_the_value(
    scheduling, body, field
) -> None:
    refused = await scheduling.patch(MEMBER, json=body, headers=COORDINATOR)
    assert refused.status_code == 422, refused.text
    assert field in refused.text
    assert not [value for value in body.values() if str(value) in refused.json()["error"]["message"]]
    assert not [d for d in refused.json()["error"]["details"] if str(body.get(field, "-")) in d["message"]]
    assert stored(scheduling, StaffMember.HoursChanged) == []


async def test_hours_ending_before_the_kept_start_are_refused_naming_both_fields(scheduling) -> None:
    refused = await scheduling.patch(MEMBER, json={"work_ends": "07:30"}, headers=COORDINATOR)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_working_hours")
    assert "work_starts" in refused.text and "work_ends" in refused.text and "07:30" not in refused.text
