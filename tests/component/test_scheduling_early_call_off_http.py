"""A referral declined, revoked or closed before scheduling heard of it (its ``received`` record
parked by referrals' relay and released later, so it comes after without a ``sequence``) gets no
staff meeting, as in order (booked, then cancelled): nobody's hours or week is taken, not the case
worker assigned early either, and nothing is noted unbooked, put on the worklist or published as
overdue (ADR 0026, addendum "a referral called off before it arrived").  Records through the kit's
real tracking consumer, read over HTTP with a JWT."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import REFERRALS
from services.scheduling.app import create_app
from services.scheduling.domain.early_call_off import EarlyCallOff
from services.scheduling.domain.meeting import Meeting
from services.scheduling.inbound import referral_consumer
from tests.component.conftest import fed_referral_records, in_process
from tests.component.test_scheduling_case_worker_capacity_http import CASE, COORDINATOR, NEW, register
from tests.component.test_scheduling_early_case_worker_http import released
from tests.component.test_scheduling_unbooked_http import UNBOOKED_OVERDUE, VASTERAS, worklist
from tests.component.test_scheduling_unbooked_http import register as register_in_vasteras
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.referral_records import (
    case_worker_assigned,
    referral_closed,
    referral_declined,
    referral_received,
    referral_revoked,
)
from tests.support.worklists import published as published_of

CALL_OFFS = [referral_declined, referral_revoked, referral_closed]


@pytest.fixture
def store(scheduling: httpx.AsyncClient) -> Any:
    """Scheduling's store, its clock on the referral's morning, ``feed`` handing it referral records."""
    return fed_referral_records(scheduling, "early-call-offs")


async def staff_meeting_status(scheduling: httpx.AsyncClient, referral_id: str, headers: dict) -> int:
    path = f"/api/v1/meetings/{Meeting.id_for_referral(referral_id)}"
    return (await scheduling.get(path, headers=headers)).status_code


async def case_has_no_meetings(scheduling: httpx.AsyncClient) -> bool:
    """The case's calendar is not there: none of its meetings ever was (absent looks as denied)."""
    return (await scheduling.get(f"/api/v1/cases/{CASE}/calendar", headers=COORDINATOR)).status_code == 404


async def calendar(scheduling: httpx.AsyncClient, path: str, headers: dict = COORDINATOR) -> list[Any]:
    answer = await scheduling.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


@pytest.mark.parametrize("call_off", CALL_OFFS, ids=lambda f: f.__name__)
async def test_a_referral_called_off_before_it_arrives_books_no_staff_meeting_nor_its_early_case_worker(
    scheduling, store, call_off
) -> None:
    referral_id = str(uuid.uuid4())
    await register(scheduling, NEW)
    await store.feed(case_worker_assigned(CASE, referral_id, 2, NEW))
    await store.feed(call_off(CASE, referral_id, 3))
    await store.feed(released(referral_received(CASE, referral_id, 1)))
    assert await staff_meeting_status(scheduling, referral_id, COORDINATOR) == 404
    assert await case_has_no_meetings(scheduling)
    assert await calendar(scheduling, f"/api/v1/staff/{NEW}/calendar") == []


async def test_an_assignment_released_after_the_call_off_and_before_the_referral_books_nothing(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await register(scheduling, NEW)
    await store.feed(referral_declined(CASE, referral_id, 3))
    await store.feed(released(case_worker_assigned(CASE, referral_id, 2, NEW)))
    await store.feed(released(referral_received(CASE, referral_id, 1)))
    assert await staff_meeting_status(scheduling, referral_id, COORDINATOR) == 404
    assert await calendar(scheduling, f"/api/v1/staff/{NEW}/calendar") == []


async def test_a_referral_called_off_before_it_arrives_that_nobody_could_book_is_never_unbooked_nor_overdue(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await register_in_vasteras(scheduling, "1980-c", "coordinator")  # no therapist or pedagogue yet
    await store.feed(referral_declined("1980-U1", referral_id, 2, municipality="1980"))
    await store.feed(released(referral_received("1980-U1", referral_id, 1, municipality="1980")))
    assert await worklist(scheduling) == []
    await register_in_vasteras(scheduling, "1980-t", "family_therapist")
    assert store.retry_unbooked_staff_meetings() == 0
    store.clock = lambda: datetime(2026, 12, 1, 8, 0)  # past the deadline's day
    assert store.check_unbooked_staff_meetings() == 0
    assert published_of(scheduling, UNBOOKED_OVERDUE) == []
    assert await staff_meeting_status(scheduling, referral_id, VASTERAS) == 404


async def test_a_call_off_and_its_released_referral_in_one_fetched_batch_book_nothing(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await register(scheduling, NEW)
    consumer, _ = in_process_consumer(store, referral_consumer(store), "early-call-off-batch")
    values = [
        case_worker_assigned(CASE, referral_id, 2, NEW),
        referral_declined(CASE, referral_id, 3),
        released(referral_received(CASE, referral_id, 1)),
    ]
    records = tuple(FakeRecord(value, offset=n, topic=REFERRALS) for n, value in enumerate(values, 1))
    await consumer.handle(values, FakeMessage(records))
    assert await staff_meeting_status(scheduling, referral_id, COORDINATOR) == 404
    assert await calendar(scheduling, f"/api/v1/staff/{NEW}/calendar") == []


async def test_a_call_off_is_kept_across_a_restart_and_repeats_of_either_record_book_nothing(
    scheduling, store, tmp_path: Path
) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_declined(CASE, referral_id, 3))
    await store.feed(referral_declined(CASE, referral_id, 3))  # redelivered
    await store.feed(referral_closed(CASE, referral_id, 4))  # filed away once declined
    restarted = before_the_fixtures(create_app(make_settings(tmp_path), start_runtime=False))
    async with in_process(restarted, "http://scheduling") as again:
        fed = fed_referral_records(again, "early-call-offs")
        for _ in range(2):  # released, then redelivered
            await fed.feed(released(referral_received(CASE, referral_id, 1)))
        assert await staff_meeting_status(again, referral_id, COORDINATOR) == 404
        assert await case_has_no_meetings(again)


async def test_a_safety_team_referral_called_off_is_not_kept_for_a_staff_meeting_it_never_has(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    record = json.loads(referral_declined(CASE, referral_id, 3))
    record["data"]["target"] = "safety_team"
    await store.feed(json.dumps(record).encode())
    assert not store.exists(EarlyCallOff.id_for("0380", referral_id))


async def test_a_referral_called_off_in_order_still_has_its_staff_meeting_cancelled(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    await store.feed(referral_declined(CASE, referral_id, 2))
    path = f"/api/v1/meetings/{Meeting.id_for_referral(referral_id)}"
    assert (await scheduling.get(path, headers=COORDINATOR)).json()["status"] == "cancelled"
    assert not store.exists(EarlyCallOff.id_for("0380", referral_id))
