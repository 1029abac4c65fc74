"""Placement changes and ends on the real broker stop and start network_support's clocks (issue 16)."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import PLACEMENTS
from services.kit.settings import ServiceSettings
from services.network_support.app import create_app as create_network_support
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import cloud_event, encode, placement_data, placement_ended, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
WORKER = bearer("0380", ("case_worker",))


async def test_a_change_with_a_school_change_opens_the_school_clock_from_the_change(
    settings: ServiceSettings,
) -> None:
    case_id, placement_id = f"S-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    started = placement_started(case_id, placement_id, placement_type="familjehem", school_change=False)
    changed = cloud_event(
        "se.placement.changed.v1",
        placement_data(case_id, placement_id, placement_type="familjehem", school_change=True),
        time="2026-11-25T09:00:00Z",
    )
    async with serving(create_network_support(settings)) as support:
        await produce(
            settings.kafka_bootstrap, PLACEMENTS, [encode(started), encode(changed)], key=case_id.encode()
        )

        async def school_clock():
            response = await support.get(f"/api/v1/placements/{placement_id}", headers=WORKER)
            return response.json() if "school_start" in response.json().get("due", {}) else None

        shown = await eventually(school_clock)
    assert shown["due"]["school_start"] == "2026-12-02"


async def test_an_ended_placement_stops_its_clocks_as_placement_ended(settings: ServiceSettings) -> None:
    case_id, placement_id = f"E-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    started = placement_started(case_id, placement_id, placement_type="familjehem", school_change=True)
    ended = placement_ended(case_id, placement_id, end_reason="breakdown", school_change=True)
    async with serving(create_network_support(settings)) as support:
        await produce(
            settings.kafka_bootstrap, PLACEMENTS, [encode(started), encode(ended)], key=case_id.encode()
        )

        async def stopped():
            response = await support.get(f"/api/v1/placements/{placement_id}", headers=WORKER)
            return response.json() if response.json().get("ended_on") else None

        shown = await eventually(stopped)
    assert shown["due"] == {}
    assert shown["closed"] == {
        "dental_examination": "placement_ended",
        "health_examination": "placement_ended",
        "parent_support": "placement_ended",
        "school_start": "placement_ended",
    }


async def test_a_second_return_home_after_a_re_placement_breaks_off_the_first_follow_up_and_begins_a_second(
    settings: ServiceSettings,
) -> None:
    case_id = f"T-{uuid.uuid4().hex[:6]}"
    first, second = f"P-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    records = [
        cloud_event("se.placement.ended.v1", placement_data(case_id, pid, end_reason="home_return", **dates))
        for pid, dates in (
            (first, {"start_date": "2026-01-10", "end_date": "2026-04-01"}),
            (second, {"start_date": "2026-06-01", "end_date": "2026-11-01"}),
        )
    ]
    async with serving(create_network_support(settings)) as support:
        await produce(
            settings.kafka_bootstrap, PLACEMENTS, [encode(r) for r in records], key=case_id.encode()
        )

        async def two_processes():
            response = await support.get(f"/api/v1/cases/{case_id}/home-returns", headers=WORKER)
            processes = response.json().get("processes", []) if response.status_code == 200 else []
            return processes if len(processes) == 2 else None

        processes = await eventually(two_processes)
    assert [(p["number"], p["phase"], p["phases"][-1][1]) for p in processes] == [
        (1, "broken_off", "2026-06-01"),  # the second placement's start: the first return did not last
        (2, "follow_up", "2026-11-01"),
    ]
