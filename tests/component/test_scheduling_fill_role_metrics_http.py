"""A role filled by the coordinator is a meeting change like a booking: ``natverk_meetings_total``
counts it as ``change="role_filled"`` (by municipality and kind, never who was invited).  A fill
over HTTP with a JWT, read on ``/metrics``; the meeting convened from a record through the kit's
real tracking consumer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.component.conftest import fed_referral_records
from tests.component.test_scheduling_fill_role_http import fill
from tests.component.test_scheduling_roles_to_fill_http import FREE, convened, register_case_worker


@pytest.fixture
def store(scheduling: httpx.AsyncClient) -> Any:
    """Scheduling's store, its clock on the referral's morning, ``feed`` handing it referral records."""
    return fed_referral_records(scheduling, "fill-role-metrics")


async def meeting_changes(scheduling: httpx.AsyncClient) -> dict[str, float]:
    """``natverk_meetings_total`` of Uppsala's staff meetings, by change."""
    prefix = 'natverk_meetings_total{change="'
    return {
        line[len(prefix) :].split('"')[0]: float(line.split()[-1])
        for line in (await scheduling.get("/metrics")).text.splitlines()
        if line.startswith(prefix) and 'kind="staff_meeting"' in line and 'municipality="0380"' in line
    }


async def test_a_role_filled_by_the_coordinator_is_counted_once_in_the_meetings_total(
    scheduling, store
) -> None:
    _, meeting = await convened(scheduling, store)
    await register_case_worker(scheduling, FREE)
    assert "role_filled" not in await meeting_changes(scheduling)
    answer = await fill(scheduling, meeting["meeting_id"], FREE, **{"Idempotency-Key": "fill-1"})
    again = await fill(scheduling, meeting["meeting_id"], FREE, **{"Idempotency-Key": "fill-1"})
    assert (answer.status_code, again.status_code) == (200, 200), answer.text
    assert await meeting_changes(scheduling) == {"booked": 1.0, "role_filled": 1.0}
