"""A referral's staff meeting moved by the coordinator (over HTTP with a JWT) past its 7-day
deadline is reported as a late booking is: published as missed once and counted as a breach."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from services.scheduling.domain.meeting import Meeting
from tests.support.tokens import bearer
from tests.support.worklists import published

COORDINATOR = bearer("0380", ("coordinator",))
VASTERAS = bearer("1980", ("coordinator",))
REFERRED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday 08:00 in Sweden: due by 30 November
FRIDAY = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # due by Friday 4 December
MISSED = "se.natverk.meeting.staff_meeting_deadline_missed.v1"
LATE = ("2026-12-14T10:00:00", "2026-12-14T11:00:00")
IN_TIME = ("2026-11-26T10:00:00", "2026-11-26T11:00:00")


def convene(
    scheduling: httpx.AsyncClient, municipality: str = "0380", referred: datetime = REFERRED
) -> Meeting:
    """As the referral consumer does (in Uppsala on Monday: booked in time, on Tuesday morning)."""
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    store.clock = lambda: datetime(2026, 11, 23, 8, 0)
    referral_id = str(uuid.uuid4())
    case_id = f"{municipality}-L1"
    store.convene_staff_meeting(
        referral_id, "network_centre", case_id, municipality, "placed", "unassigned", referred
    )
    return store.repository.get(Meeting.id_for_referral(referral_id))


async def reschedule(
    scheduling: httpx.AsyncClient, meeting: Meeting, times: tuple[str, str], caller: Any = COORDINATOR
) -> Any:
    body = {"start": times[0], "end": times[1]}
    answer = await scheduling.post(f"/api/v1/meetings/{meeting.id}/reschedule", json=body, headers=caller)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def sla(scheduling: httpx.AsyncClient, municipality: str = "0380") -> dict[str, float]:
    metrics = (await scheduling.get("/metrics")).text
    prefix = f'natverk_staff_meetings_total{{municipality="{municipality}",sla="'
    return {
        line[len(prefix) :].split('"')[0]: float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith(prefix)
    }


async def test_a_staff_meeting_rescheduled_past_its_deadline_is_published_as_missed_and_counted_as_breached(
    scheduling,
) -> None:
    meeting = convene(scheduling)
    assert not meeting.deadline_missed
    assert (await reschedule(scheduling, meeting, LATE))["deadline_missed"] is True
    [missed] = published(scheduling, MISSED)
    assert (missed.meeting_id, missed.start, missed.deadline) == (
        str(meeting.id),
        datetime(2026, 12, 14, 10, 0),
        datetime(2026, 11, 30, 8, 0),
    )
    assert await sla(scheduling) == {"met": 1.0, "breached": 1.0}


async def test_a_staff_meeting_moved_back_in_time_and_past_its_deadline_again_is_reported_missed_once(
    scheduling,
) -> None:
    meeting = convene(scheduling)
    await reschedule(scheduling, meeting, LATE)
    assert (await reschedule(scheduling, meeting, IN_TIME))["deadline_missed"] is False
    await reschedule(scheduling, meeting, ("2026-12-15T10:00:00", "2026-12-15T11:00:00"))
    assert len(published(scheduling, MISSED)) == 1
    assert (await sla(scheduling))["breached"] == 1.0


async def test_a_staff_meeting_rescheduled_within_its_deadline_is_not_reported_missed(scheduling) -> None:
    meeting = convene(scheduling)
    assert (await reschedule(scheduling, meeting, IN_TIME))["deadline_missed"] is False
    assert published(scheduling, MISSED) == []
    assert await sla(scheduling) == {"met": 1.0, "breached": 0.0}


async def test_a_staff_meeting_booked_late_and_rescheduled_later_still_is_reported_missed_once(
    scheduling,
) -> None:
    for staff_id, role in (("1980-c", "coordinator"), ("1980-t", "family_therapist")):
        body = {"staff_id": staff_id, "role": role, "weekly_capacity_hours": 1}
        assert (await scheduling.post("/api/v1/staff", json=body, headers=VASTERAS)).status_code == 201
    convene(scheduling, "1980", FRIDAY)  # Monday 30 November: the week's one hour
    late = convene(scheduling, "1980", FRIDAY)  # the Monday after: past Friday's deadline
    assert late.deadline_missed
    await reschedule(scheduling, late, LATE, VASTERAS)
    assert [m.meeting_id for m in published(scheduling, MISSED)] == [str(late.id)]
    assert await sla(scheduling, "1980") == {"met": 1.0, "breached": 1.0}


# Due is a Swedish calendar day, overdue the day after (ADR 0025): a meeting on the deadline's day
# is in time whatever the hour the referral came in at, for the meeting as for the worklist.
async def test_a_staff_meeting_rescheduled_to_later_on_its_deadlines_day_is_in_time(scheduling) -> None:
    meeting = convene(scheduling)
    moved = await reschedule(scheduling, meeting, ("2026-11-30T10:00:00", "2026-11-30T11:00:00"))
    assert (moved["deadline"], moved["deadline_missed"]) == ("2026-11-30T08:00:00", False)
    listed = await scheduling.get(f"/api/v1/cases/{meeting.case_id}/calendar", headers=COORDINATOR)
    assert [row["deadline_missed"] for row in listed.json()["items"]] == [False]
    assert published(scheduling, MISSED) == []
    assert await sla(scheduling) == {"met": 1.0, "breached": 0.0}


async def test_a_staff_meeting_rescheduled_to_the_day_after_its_deadline_is_missed(scheduling) -> None:
    meeting = convene(scheduling)
    moved = await reschedule(scheduling, meeting, ("2026-12-01T08:00:00", "2026-12-01T09:00:00"))
    assert moved["deadline_missed"] is True
    assert len(published(scheduling, MISSED)) == 1


async def test_a_staff_meeting_convened_on_its_deadlines_day_after_the_referrals_hour_is_booked_in_time(
    scheduling,
) -> None:
    for staff_id, role in (("1980-c", "coordinator"), ("1980-t", "family_therapist")):
        body = {"staff_id": staff_id, "role": role, "weekly_capacity_hours": 1}
        assert (await scheduling.post("/api/v1/staff", json=body, headers=VASTERAS)).status_code == 201
    convene(scheduling, "1980")  # Tuesday 24 November: the week's one hour
    next_week = convene(scheduling, "1980")  # Monday 30 November, 08:00-09:00: past 08:00, on the day
    assert next_week.start == datetime(2026, 11, 30, 8, 0) and not next_week.deadline_missed
    [booked] = [
        b for b in published(scheduling, "se.natverk.meeting.booked.v1") if b.meeting_id == str(next_week.id)
    ]
    assert booked.deadline_missed is False and published(scheduling, MISSED) == []
    assert await sla(scheduling, "1980") == {"met": 2.0, "breached": 0.0}
