"""A referral nobody can be booked for, seen from outside: its record is not dead-lettered, the
coordinator finds it on the worklist and in the metrics, and once the roster has room the
periodic retry books the meeting; a withdrawn referral is never booked."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from contracts.topics import REFERRALS
from services.scheduling import staff_meeting
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import find_slot
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.inbound import referral_consumer
from services.scheduling.publication import build_publication_table
from tests.support.fetched import CapturingBroker, fed_by_hand, in_process_consumer
from tests.support.referral_records import case_worker_assigned, referral_declined, referral_received
from tests.support.tokens import bearer
from tests.support.worklists import published as published_of

VASTERAS = bearer("1980", ("coordinator",))
REGISTRAR = bearer("1980", ("registrar",))
CASE = "1980-U1"


@pytest.fixture
def consumed(scheduling) -> tuple[Any, CapturingBroker]:
    """Scheduling's store, its clock on the referral's morning, fed through the real tracking
    consumer; and the broker that catches anything dead-lettered."""
    store = scheduling.app.state.runtime.app
    store.clock = lambda: datetime(2026, 11, 23, 8, 0)
    consumer, broker = in_process_consumer(store, referral_consumer(store), "unbooked")
    store.feed = fed_by_hand(consumer, REFERRALS)
    return store, broker


async def register(scheduling: httpx.AsyncClient, staff_id: str, role: str, hours_a_week: int = 40) -> None:
    body = {"staff_id": staff_id, "role": role, "weekly_capacity_hours": hours_a_week}
    response = await scheduling.post("/api/v1/staff", json=body, headers=VASTERAS)
    assert response.status_code == 201, response.text


async def worklist(scheduling: httpx.AsyncClient) -> list[tuple[str, str, str, str]]:
    response = await scheduling.get("/api/v1/worklist", headers=VASTERAS)
    assert response.status_code == 200, response.text
    return [(i["case_id"], i["obligation"], i["due"], i["action_path"]) for i in response.json()["items"]]


async def referred_while_only_a_coordinator_is_on_the_roster(
    scheduling: httpx.AsyncClient, store: Any
) -> str:
    """A referral that finds no family therapist or pedagogue, so no staff meeting; its id."""
    await register(scheduling, "1980-c", "coordinator")
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1, municipality="1980"))
    return referral_id


def published(store: Any) -> list[tuple[str, dict]]:
    """What the relay publishes of the stored notes: (type, data) of each CloudEvent."""
    table = build_publication_table(
        lambda meeting_id, version: store.repository.get(meeting_id, version=version)
    )
    notifications = store.recorder.select_notifications(1, 10_000)
    events = [store.mapper.to_domain_event(n) for n in notifications]
    notes = [e for e in events if isinstance(e, UnbookedStaffMeeting.Noted)]
    return [(envelope.type, envelope.data) for note in notes for _, envelope in table.cloud_events(note, 1)]


def unbooked_count(metrics: str) -> float:
    prefix = 'natverk_staff_meetings_unbooked_total{municipality="1980"} '
    return float(next(line for line in metrics.splitlines() if line.startswith(prefix)).split()[-1])


async def test_a_referral_no_roster_can_take_is_on_the_worklist_and_counted_not_dead_lettered(
    scheduling, consumed
) -> None:
    store, broker = consumed
    await register(scheduling, "1980-c", "coordinator")  # and no family therapist or pedagogue
    await store.feed(referral_received(CASE, str(uuid.uuid4()), 1, municipality="1980"))
    assert broker.published == []
    assert await worklist(scheduling) == [(CASE, "staff_meeting_unbooked", "2026-11-30", "/api/v1/staff")]
    assert unbooked_count((await scheduling.get("/metrics")).text) == 1.0
    [(event_type, data)] = published(store)
    assert event_type == "se.natverk.meeting.staff_meeting_unbooked.v1"
    assert (data["case_id"], data["deadline"], data["responsible_role"]) == (
        CASE,
        "2026-11-30T08:00:00",
        "coordinator",
    )


async def test_once_the_roster_has_room_the_retry_books_the_meeting_within_its_deadline_once(
    scheduling, consumed
) -> None:
    store, _ = consumed
    referral_id = await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    await store.feed(referral_received(CASE, referral_id, 2, municipality="1980"))  # delivered again
    await register(scheduling, "1980-t", "family_therapist")
    assert store.retry_unbooked_staff_meetings() == 1
    assert store.retry_unbooked_staff_meetings() == 0
    meeting = store.repository.get(Meeting.id_for_referral(referral_id))
    assert not meeting.deadline_missed and set(meeting.staff_ids) >= {"1980-c", "1980-t"}
    listed = [(case_id, obligation, action) for case_id, obligation, _, action in await worklist(scheduling)]
    assert listed == [  # and its case worker, not yet assigned, to fill by the day before
        (CASE, "meeting_role_unfilled", f"/api/v1/meetings/{meeting.id}/fill-role"),
        (CASE, "staff_meeting", f"/api/v1/meetings/{meeting.id}/attendance"),
    ]
    assert unbooked_count((await scheduling.get("/metrics")).text) == 1.0


async def test_a_case_worker_assigned_while_the_meeting_waits_is_invited_when_it_is_booked(
    scheduling, consumed
) -> None:
    store, _ = consumed
    referral_id = await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    await store.feed(case_worker_assigned(CASE, referral_id, 2, "1980-cw-7", municipality="1980"))
    await register(scheduling, "1980-t", "family_therapist")
    assert store.retry_unbooked_staff_meetings() == 1
    meeting = store.repository.get(Meeting.id_for_referral(referral_id))
    assert "1980-cw-7" in meeting.staff_ids and "case_worker" not in meeting.other_participants


async def test_a_withdrawn_referral_leaves_the_worklist_and_is_never_booked(scheduling, consumed) -> None:
    store, broker = consumed
    referral_id = await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    await store.feed(referral_declined(CASE, referral_id, 2, municipality="1980"))
    assert await worklist(scheduling) == []
    await register(scheduling, "1980-t", "family_therapist")
    assert store.retry_unbooked_staff_meetings() == 0
    assert not store.exists(Meeting.id_for_referral(referral_id))
    assert broker.published == []


async def test_the_childs_registerutdrag_names_the_referral_whose_meeting_could_not_be_booked(
    scheduling, consumed
) -> None:
    store, _ = consumed
    referral_id = await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    await store.feed(referral_declined(CASE, referral_id, 2, municipality="1980"))
    response = await scheduling.post("/api/v1/subject-access", json={"case_ids": [CASE]}, headers=REGISTRAR)
    assert response.status_code == 200, response.text
    [case] = response.json()["cases"]
    assert case["meetings"] == []
    assert [(u["referral_id"], u["settled"]) for u in case["unbooked_staff_meetings"]] == [
        (referral_id, "withdrawn")
    ]


async def test_a_roster_full_for_the_whole_search_horizon_leaves_the_next_referral_unbooked(
    scheduling, consumed
) -> None:
    store, broker = consumed
    await register(scheduling, "1980-c", "coordinator", hours_a_week=1)
    await register(scheduling, "1980-t", "family_therapist", hours_a_week=1)
    for sequence in range(1, 30):  # one meeting a week fits: the horizon of 90 days fills first
        await store.feed(
            referral_received(f"1980-F{sequence}", str(uuid.uuid4()), sequence, municipality="1980")
        )
    booked = [row for row in store._open_meetings("1980") if row.kind == "staff_meeting"]
    unbooked = [item for item in await worklist(scheduling) if item[1] == "staff_meeting_unbooked"]
    assert 12 <= len(booked) <= 14 and len(booked) + len(unbooked) == 29
    assert broker.published == []


async def test_a_retry_searches_again_only_when_the_day_the_roster_or_the_meetings_changed(
    scheduling, consumed, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = consumed
    await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    searches = []
    monkeypatch.setattr(staff_meeting, "find_slot", lambda *args: searches.append(args) or find_slot(*args))
    assert store.retry_unbooked_staff_meetings() == 0
    assert store.retry_unbooked_staff_meetings() == 0  # nothing changed: no second search
    assert len(searches) == 1
    store.clock = lambda: datetime(2026, 11, 24, 8, 0)  # the next day: the horizon moved
    assert store.retry_unbooked_staff_meetings() == 0
    await register(scheduling, "1980-t", "family_therapist")
    assert store.retry_unbooked_staff_meetings() == 1
    assert len(searches) == 3


UNBOOKED_OVERDUE = "se.natverk.meeting.staff_meeting_unbooked_overdue.v1"


async def test_a_staff_meeting_still_unbooked_after_its_deadline_day_is_published_as_overdue_once(
    scheduling, consumed
) -> None:
    store, _ = consumed
    referral_id = await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    store.clock = lambda: datetime(2026, 11, 30, 23, 0)  # the deadline's day: due, not yet overdue
    assert store.check_unbooked_staff_meetings() == 0
    store.clock = lambda: datetime(2026, 12, 1, 8, 0)
    assert store.check_unbooked_staff_meetings() == 1
    assert store.check_unbooked_staff_meetings() == 0
    [overdue] = published_of(scheduling, UNBOOKED_OVERDUE)
    assert (overdue.case_id, overdue.municipality, overdue.referral_id, overdue.responsible_role) == (
        CASE,
        "1980",
        referral_id,
        "coordinator",
    )
    assert overdue.deadline == datetime(2026, 11, 30, 8, 0)
    assert "not booked" in overdue.summary() and "2026-11-30" in overdue.summary()


async def test_a_withdrawn_referral_is_never_published_as_an_overdue_unbooked_staff_meeting(
    scheduling, consumed
) -> None:
    store, _ = consumed
    referral_id = await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    await store.feed(referral_declined(CASE, referral_id, 2, municipality="1980"))
    store.clock = lambda: datetime(2026, 12, 1, 8, 0)
    assert store.check_unbooked_staff_meetings() == 0
    assert published_of(scheduling, UNBOOKED_OVERDUE) == []


async def test_a_staff_meeting_booked_by_a_retry_in_time_is_never_published_as_overdue_unbooked(
    scheduling, consumed
) -> None:
    store, _ = consumed
    await referred_while_only_a_coordinator_is_on_the_roster(scheduling, store)
    await register(scheduling, "1980-t", "family_therapist")
    assert store.retry_unbooked_staff_meetings() == 1
    store.clock = lambda: datetime(2026, 12, 1, 8, 0)
    assert store.check_unbooked_staff_meetings() == 0
    assert published_of(scheduling, UNBOOKED_OVERDUE) == []


async def test_the_service_runs_the_overdue_unbooked_sweep_as_a_periodic_job(scheduling) -> None:
    runtime = scheduling.app.state.runtime  # no public view of the schedule: its wiring, as built
    assert "check_unbooked_staff_meetings" in [job.__name__ for _, job in runtime._periodic]
