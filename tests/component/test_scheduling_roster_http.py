"""The roster used as people would, seen from outside: when a small roster's weekly capacity runs
out, the staff meeting is booked after its deadline, published as missed and counted (issue 15)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from services.scheduling.domain.meeting import Meeting
from services.scheduling.publication import build_publication_table
from tests.support.tokens import bearer

VASTERAS = bearer("1980", ("coordinator",))
UPPSALA = bearer("0380", ("coordinator",))
FRIDAY_MORNING = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # due by the next Friday: a full week is late
MISSED = "se.natverk.meeting.staff_meeting_deadline_missed.v1"


async def register_small_roster(scheduling: httpx.AsyncClient, hours_a_week: int) -> None:
    for staff_id, role in (
        ("1980-c", "coordinator"),
        ("1980-t", "family_therapist"),
        ("1980-p", "parent_supporter"),
    ):
        body = {"staff_id": staff_id, "role": role, "weekly_capacity_hours": hours_a_week}
        assert (await scheduling.post("/api/v1/staff", json=body, headers=VASTERAS)).status_code == 201


def convene(scheduling: httpx.AsyncClient) -> Meeting:
    """As the referral consumer does, for a referral received on Friday morning."""
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    referral_id = str(uuid.uuid4())
    store.convene_staff_meeting(
        referral_id,
        "network_centre",
        f"1980-{referral_id[:6]}",
        "1980",
        "placed",
        "unassigned",
        FRIDAY_MORNING,
    )
    return store.repository.get(Meeting.id_for_referral(referral_id))


def published_types(scheduling: httpx.AsyncClient, meeting: Meeting) -> list[str]:
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    table = build_publication_table(
        lambda meeting_id, version: store.repository.get(meeting_id, version=version)
    )
    [booked] = _stored_booked(store, meeting)
    return [envelope.type for _, envelope in table.cloud_events(booked, 1)]


def _stored_booked(store: Any, meeting: Meeting) -> list[Any]:
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 10_000)]
    return [e for e in events if isinstance(e, Meeting.Booked) and e.originator_id == meeting.id]


def breaches(metrics: str, municipality: str) -> float:
    prefix = f'natverk_staff_meetings_total{{municipality="{municipality}",sla="breached"}} '
    return float(next(line for line in metrics.splitlines() if line.startswith(prefix)).split()[-1])


async def test_every_municipalitys_missed_deadlines_are_counted_from_zero(scheduling) -> None:
    metrics = (await scheduling.get("/metrics")).text
    assert [breaches(metrics, m) for m in ("0380", "1980", "2180")] == [0.0, 0.0, 0.0]


async def test_when_the_rosters_weekly_capacity_runs_out_the_meeting_after_it_is_booked_late_and_reported(
    scheduling,
) -> None:
    await register_small_roster(scheduling, hours_a_week=2)
    in_time = [convene(scheduling) for _ in range(2)]
    late = convene(scheduling)
    assert [m.deadline_missed for m in in_time] == [False, False]
    assert late.deadline_missed and late.start.isocalendar()[1] == 50  # the week after the next
    assert MISSED in published_types(scheduling, late)
    assert not any(MISSED in published_types(scheduling, m) for m in in_time)
    assert breaches((await scheduling.get("/metrics")).text, "1980") == 1.0


async def test_a_removed_staff_member_registered_again_is_back_on_the_roster_with_what_is_given_now(
    scheduling,
) -> None:
    assert (await register_again(scheduling, "0380-family-therapist-1")).status_code == 201
    roster = (await scheduling.get("/api/v1/staff", headers=UPPSALA)).json()["items"]
    [back] = [row for row in roster if row["staff_id"] == "0380-family-therapist-1"]
    assert (back["role"], back["work_starts"], back["work_ends"]) == ("family_pedagogue", "09:00", "15:00")
    body = {"case_id": "0380-77", "kind": "network_meeting", "staff_ids": ["0380-family-therapist-1"]}
    body |= {"start": "2026-11-24T09:00:00", "end": "2026-11-24T10:00:00"}
    assert (await scheduling.post("/api/v1/meetings", json=body, headers=UPPSALA)).status_code == 201


async def test_registering_a_staff_member_still_on_the_roster_is_refused(scheduling) -> None:
    body = {"staff_id": "0380-family-therapist-1", "role": "family_therapist"}
    again = await scheduling.post("/api/v1/staff", json=body, headers=UPPSALA)
    assert again.status_code == 409


async def register_again(scheduling: httpx.AsyncClient, staff_id: str) -> httpx.Response:
    """Removed, then registered with another role and other hours (a colleague come back)."""
    assert (await scheduling.delete(f"/api/v1/staff/{staff_id}", headers=UPPSALA)).status_code == 204
    body = {"staff_id": staff_id, "role": "family_pedagogue", "work_starts": "09:00", "work_ends": "15:00"}
    return await scheduling.post("/api/v1/staff", json=body, headers=UPPSALA)
