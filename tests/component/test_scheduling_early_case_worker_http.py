"""A referral's case worker assigned before scheduling has heard of the referral (its ``received``
record parked by referrals' relay and released later, so it comes after without a ``sequence``):
the assignment is kept, and the staff meeting convened when the referral arrives has the case worker
moved in as if the records had come in order, judged at the meeting's time as a move is.  Records
through the kit's real tracking consumer, read over HTTP with a JWT."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.scheduling.app import create_app
from services.scheduling.domain.meeting import Meeting
from tests.component.conftest import fed_referral_records, in_process
from tests.component.test_scheduling_case_worker_capacity_http import (
    CASE,
    NEW,
    OLD,
    book,
    hours_in_week_of,
    register,
    staff_meeting,
)
from tests.component.test_scheduling_unbooked_http import VASTERAS
from tests.component.test_scheduling_unbooked_http import register as register_in_vasteras
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures
from tests.support.referral_records import case_worker_assigned, referral_received


@pytest.fixture
def store(scheduling: httpx.AsyncClient) -> Any:
    """Scheduling's store, its clock on the referral's morning, ``feed`` handing it referral records."""
    return fed_referral_records(scheduling, "early-case-workers")


def released(record: bytes) -> bytes:
    """``record`` as the relay publishes it when ops release it from parking: without a position."""
    cloud_event = json.loads(record)
    del cloud_event["sequence"]
    return json.dumps(cloud_event).encode()


async def test_a_case_worker_assigned_before_the_referral_arrives_is_invited_to_its_staff_meeting(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await register(scheduling, NEW)
    await store.feed(case_worker_assigned(CASE, referral_id, 2, NEW))
    await store.feed(released(referral_received(CASE, referral_id, 1)))
    meeting = await staff_meeting(scheduling, referral_id)
    assert NEW in meeting["staff_ids"] and "case_worker" not in meeting["other_participants"]


async def test_the_last_of_several_early_assignments_is_invited_and_a_repeated_one_changes_nothing(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    for staff_id in (OLD, NEW):
        await register(scheduling, staff_id)
    await store.feed(case_worker_assigned(CASE, referral_id, 2, OLD))
    await store.feed(case_worker_assigned(CASE, referral_id, 3, NEW))
    await store.feed(case_worker_assigned(CASE, referral_id, 2, OLD))  # redelivered
    await store.feed(released(referral_received(CASE, referral_id, 1)))
    await store.feed(released(referral_received(CASE, referral_id, 1)))  # redelivered
    meeting = await staff_meeting(scheduling, referral_id)
    assert NEW in meeting["staff_ids"] and OLD not in meeting["staff_ids"]
    assert await hours_in_week_of(scheduling, NEW, meeting["start"][:10]) == 1


async def test_an_early_case_worker_whose_week_is_full_leaves_the_meeting_naming_the_role(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await register(scheduling, NEW, weekly_capacity_hours=8)
    assert (await book(scheduling, NEW, "2026-11-26T08:00:00", "2026-11-26T16:00:00")).status_code == 201
    await store.feed(case_worker_assigned(CASE, referral_id, 2, NEW))
    await store.feed(released(referral_received(CASE, referral_id, 1)))
    meeting = await staff_meeting(scheduling, referral_id)
    assert NEW not in meeting["staff_ids"] and "case_worker" in meeting["other_participants"]
    assert meeting["start"][:10] != "2026-11-26"  # their week is full, not that hour
    assert await hours_in_week_of(scheduling, NEW, meeting["start"][:10]) == 8


async def test_an_early_assignment_is_kept_across_a_restart_of_the_replica(
    scheduling, store, tmp_path: Path
) -> None:
    referral_id = str(uuid.uuid4())
    await register(scheduling, NEW)
    await store.feed(case_worker_assigned(CASE, referral_id, 2, NEW))
    restarted = before_the_fixtures(create_app(make_settings(tmp_path), start_runtime=False))
    async with in_process(restarted, "http://scheduling") as again:
        await fed_referral_records(again, "early-case-workers").feed(
            released(referral_received(CASE, referral_id, 1))
        )
        assert NEW in (await staff_meeting(again, referral_id))["staff_ids"]


async def test_an_early_case_worker_of_a_staff_meeting_nobody_can_book_yet_is_invited_when_it_is_booked(
    scheduling, store
) -> None:
    referral_id, case_worker = str(uuid.uuid4()), "1980-cw-7"
    await register_in_vasteras(scheduling, "1980-c", "coordinator")  # no therapist or pedagogue yet
    await store.feed(case_worker_assigned("1980-U1", referral_id, 2, case_worker, municipality="1980"))
    await store.feed(released(referral_received("1980-U1", referral_id, 1, municipality="1980")))
    await register_in_vasteras(scheduling, "1980-t", "family_therapist")
    assert store.retry_unbooked_staff_meetings() == 1
    path = f"/api/v1/meetings/{Meeting.id_for_referral(referral_id)}"
    meeting = (await scheduling.get(path, headers=VASTERAS)).json()
    assert case_worker in meeting["staff_ids"] and "case_worker" not in meeting["other_participants"]
