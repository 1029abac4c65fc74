"""Placement and referral events on the real broker drive network_support, and it all reaches the timeline."""

from __future__ import annotations

import json
import uuid
from datetime import date

import httpx
import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from services.network_support.app import create_app as create_network_support
from tests.integration.test_scheduling_staff_meeting import scheduling_app
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import encode, placement_ended, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
WORKER = bearer("0380", ("case_worker",))
AUDITOR = bearer("0380", ("auditor",))


async def timeline_types(case_store, case_id: str) -> list[str]:
    response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=AUDITOR)
    return [e["event_type"] for e in response.json()["items"]] if response.status_code == 200 else []


async def test_a_started_placement_opens_the_inquiry_and_the_seven_day_clocks_once(
    settings: ServiceSettings,
) -> None:
    case_id, placement_id = f"N-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    started = encode(
        placement_started(case_id, placement_id, placement_type="familjehem", school_change=True)
    )
    async with (
        serving(create_network_support(settings)) as support,
        serving(create_case_store(settings)) as case_store,
    ):
        await produce(settings.kafka_bootstrap, PLACEMENTS, [started] * 3, key=case_id.encode())

        async def placement():
            response = await support.get(f"/api/v1/placements/{placement_id}", headers=WORKER)
            return response.json() if response.status_code == 200 else None

        shown = await eventually(placement)

        async def in_timeline():
            types = await timeline_types(case_store, case_id)
            wanted = {
                "se.natverk.network_placement_inquiry.changed.v1",
                "se.natverk.placement_follow_up.recorded.v1",
            }
            return types if wanted <= set(types) else None

        types = await eventually(in_timeline)
    assert shown["due"]["parent_support"] == shown["due"]["school_start"] == "2026-11-27"
    assert shown["inquiry"] == {"outcome": None, "candidates": []}
    # three deliveries, one inquiry and one set of clocks
    assert types.count("se.natverk.network_placement_inquiry.changed.v1") == 1
    assert types.count("se.natverk.placement_follow_up.recorded.v1") == 1


async def test_a_placement_ended_with_home_return_begins_the_process_follow_up_in_the_timeline(
    settings: ServiceSettings,
) -> None:
    case_id, placement_id = f"H-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    async with (
        serving(create_network_support(settings)) as support,
        serving(create_case_store(settings)) as case_store,
    ):
        moved = await support.post(
            f"/api/v1/cases/{case_id}/home-return",
            headers=WORKER,
            json={"phase": "trial", "on": "2026-12-01"},
        )
        assert moved.status_code == 200
        await produce(
            settings.kafka_bootstrap,
            PLACEMENTS,
            [encode(placement_ended(case_id, placement_id))],
            key=case_id.encode(),
        )

        async def followed_up():
            response = await support.get(f"/api/v1/cases/{case_id}/home-return", headers=WORKER)
            return response.json() if response.json().get("phase") == "follow_up" else None

        process = await eventually(followed_up)

        async def phases_in_timeline():
            types = await timeline_types(case_store, case_id)
            return types if types.count("se.natverk.home_return.phase_changed.v1") == 3 else None

        await eventually(phases_in_timeline)
    assert [phase for phase, _ in process["phases"]] == ["preparation", "trial", "follow_up"]
    assert process["phases"][-1][1] == "2026-12-20"
    assert process["retroactive"] is False


async def test_a_home_return_without_a_process_opens_one_retroactively(settings: ServiceSettings) -> None:
    case_id, placement_id = f"R-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    async with serving(create_network_support(settings)) as support:
        await produce(
            settings.kafka_bootstrap,
            PLACEMENTS,
            [encode(placement_ended(case_id, placement_id))],
            key=case_id.encode(),
        )

        async def process():
            response = await support.get(f"/api/v1/cases/{case_id}/home-return", headers=WORKER)
            return response.json() if response.status_code == 200 else None

        shown = await eventually(process)
    assert shown["phase"] == "follow_up" and shown["retroactive"] is True


def referral_accepted(case_id: str, referral_id: str, target: str) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": f"{referral_id}.2",
            "source": "/natverk/referrals",
            "type": "se.natverk.referral.accepted.v1",
            "time": "2026-11-23T08:00:00+00:00",
            "subject": case_id,
            "datacontenttype": "application/json",
            "sequence": "2",
            "actor": "cw-1",
            "data": {
                "referral_id": referral_id,
                "case_id": case_id,
                "municipality": "0380",
                "target": target,
            },
        }
    ).encode()


async def test_an_accepted_safety_team_referral_opens_a_support_plan_and_a_safety_plan(
    settings: ServiceSettings,
) -> None:
    case_id, referral_id = f"S-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    app = create_network_support(settings)
    app.state.runtime.app.today = lambda: date(2026, 11, 23)
    async with serving(app) as support:
        await produce(
            settings.kafka_bootstrap,
            REFERRALS,
            [referral_accepted(case_id, referral_id, "safety_team")] * 2,
            key=case_id.encode(),
        )

        async def safety_plan():
            response = await support.get(f"/api/v1/cases/{case_id}/safety-plan", headers=WORKER)
            return response.json() if response.status_code == 200 else None

        plan = await eventually(safety_plan)
        support_plan = await support.get(f"/api/v1/cases/{case_id}/support-plan", headers=WORKER)
    assert plan["version"] == 1 and plan["follow_up_due"] == "2027-05-24"
    assert support_plan.status_code == 200 and support_plan.json()["goals"] == []


async def test_a_scale_reading_names_a_network_meeting_booked_in_scheduling(
    settings: ServiceSettings,
) -> None:
    """scheduling's meeting events reach network_support over the broker: a reading from the booked
    meeting is accepted on its day, then on the day it was moved to and not the old one, and a
    reading naming it is refused once it is cancelled.  Every wait polls with a request that is
    refused until the awaited event has arrived, so no poll records a reading by accident."""
    case_id = f"M-{uuid.uuid4().hex[:6]}"
    coordinator = bearer("0380", ("coordinator",))
    network_support = create_network_support(settings)
    store = network_support.state.runtime.app
    store.today = lambda: date(2026, 11, 23)  # the plan drafted on the day of its danger statement
    async with (
        serving(scheduling_app(settings)) as scheduling,
        serving(network_support) as support,
    ):
        await support.post(f"/api/v1/cases/{case_id}/safety-plan", headers=WORKER)
        store.today = lambda: date(2026, 12, 3)  # the readings below have happened by then
        plan = (
            await support.post(
                f"/api/v1/cases/{case_id}/safety-plan/danger-statements",
                headers=WORKER,
                json={"statement": "danger", "safety_goal": "goal", "scale": 3, "on": "2026-11-23"},
            )
        ).json()
        statement = plan["danger_statements"][0]["statement_id"]
        booked = await scheduling.post(
            "/api/v1/meetings",
            headers=coordinator,
            json={
                "case_id": case_id,
                "kind": "network_meeting",
                "start": "2026-12-01T09:00:00",
                "end": "2026-12-01T10:30:00",
                "staff_ids": ["0380-family-therapist-1"],
                "other_participants": ["parent", "network"],
            },
        )
        assert booked.status_code == 201, booked.text
        meeting_id = booked.json()[0]["meeting_id"]

        async def read_scale(on: str, value: int) -> httpx.Response:
            return await support.post(
                f"/api/v1/cases/{case_id}/safety-plan/scales",
                headers=WORKER,
                json={"statement_id": statement, "value": value, "on": on, "meeting_id": meeting_id},
            )

        async def accepted(on: str, value: int) -> dict | None:
            response = await read_scale(on, value)
            return response.json() if response.status_code == 200 else None

        async def refused_with(on: str, code: str) -> bool:
            response = await read_scale(on, 0)
            return response.status_code == 422 and response.json()["error"]["code"] == code

        await eventually(lambda: accepted("2026-12-01", 6))
        moved = await scheduling.post(
            f"/api/v1/meetings/{meeting_id}/reschedule",
            headers=coordinator,
            json={"start": "2026-12-03T09:00:00", "end": "2026-12-03T10:30:00"},
        )
        assert moved.status_code == 200, moved.text
        plan = await eventually(lambda: accepted("2026-12-03", 7))
        assert await refused_with("2026-12-01", "not_on_meeting_day")
        cancelled = await scheduling.post(
            f"/api/v1/meetings/{meeting_id}/cancel",
            headers=coordinator,
            json={"reason": "the family asked for another time"},
        )
        assert cancelled.status_code == 200, cancelled.text
        await eventually(
            lambda: refused_with("2026-12-01", "meeting_cancelled")
        )  # cancelled is checked before the day
        shown = (await support.get(f"/api/v1/cases/{case_id}/safety-plan", headers=WORKER)).json()
    assert plan["danger_statements"][0]["scales"] == [["2026-11-23", 3], ["2026-12-01", 6], ["2026-12-03", 7]]
    assert shown["danger_statements"][0]["scales"] == plan["danger_statements"][0]["scales"]
