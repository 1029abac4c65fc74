"""Placement and referral events on the real broker drive network_support, and it all reaches the timeline."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from services.network_support.app import create_app as create_network_support
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import encode, placement_ended, placement_started
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
WORKER = bearer("0380", ("case_worker",))
AUDITOR = bearer("0380", ("auditor",))


async def timeline_types(case_store, case_id: str) -> list[str]:
    response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=AUDITOR)
    return [e["event_type"] for e in response.json()["entries"]] if response.status_code == 200 else []


async def test_a_started_placement_opens_the_inquiry_and_the_seven_day_clocks_once(settings: ServiceSettings) -> None:
    case_id, placement_id = f"N-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    started = encode(placement_started(case_id, placement_id, placement_type="familjehem", school_change=True))
    async with serving(create_network_support(settings)) as support, serving(create_case_store(settings)) as case_store:
        await produce(settings.kafka_bootstrap, PLACEMENTS, [started] * 3, key=case_id.encode())

        async def placement():
            response = await support.get(f"/api/v1/placements/{placement_id}", headers=WORKER)
            return response.json() if response.status_code == 200 else None

        shown = await eventually(placement)

        async def in_timeline():
            types = await timeline_types(case_store, case_id)
            wanted = {"se.natverk.network_placement_inquiry.changed.v1", "se.natverk.placement_follow_up.recorded.v1"}
            return types if wanted <= set(types) else None

        types = await eventually(in_timeline)
    assert shown["due"]["parent_support"] == shown["due"]["school_start"] == "2026-11-27"
    assert shown["inquiry"] == {"outcome": None, "candidates": []}
    # three deliveries, one inquiry and one set of clocks
    assert types.count("se.natverk.network_placement_inquiry.changed.v1") == 1
    assert types.count("se.natverk.placement_follow_up.recorded.v1") == 1


async def test_a_placement_ended_with_home_return_completes_the_process_in_the_timeline(settings: ServiceSettings) -> None:
    case_id, placement_id = f"H-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    async with serving(create_network_support(settings)) as support, serving(create_case_store(settings)) as case_store:
        moved = await support.post(f"/api/v1/cases/{case_id}/home-return", headers=WORKER,
                                   json={"phase": "trial", "on": "2026-12-01"})
        assert moved.status_code == 200
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(placement_ended(case_id, placement_id))],
                      key=case_id.encode())

        async def completed():
            response = await support.get(f"/api/v1/cases/{case_id}/home-return", headers=WORKER)
            return response.json() if response.json().get("phase") == "completed" else None

        process = await eventually(completed)

        async def phases_in_timeline():
            types = await timeline_types(case_store, case_id)
            return types if types.count("se.natverk.home_return.phase_changed.v1") == 3 else None

        await eventually(phases_in_timeline)
    assert [phase for phase, _ in process["phases"]] == ["preparation", "trial", "completed"]
    assert process["phases"][-1][1] == "2026-12-20"
    assert process["retroactive"] is False


async def test_a_home_return_without_a_process_opens_one_retroactively(settings: ServiceSettings) -> None:
    case_id, placement_id = f"R-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    async with serving(create_network_support(settings)) as support:
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(placement_ended(case_id, placement_id))],
                      key=case_id.encode())

        async def process():
            response = await support.get(f"/api/v1/cases/{case_id}/home-return", headers=WORKER)
            return response.json() if response.status_code == 200 else None

        shown = await eventually(process)
    assert shown["phase"] == "completed" and shown["retroactive"] is True


def referral_accepted(case_id: str, referral_id: str, target: str) -> bytes:
    return json.dumps({
        "specversion": "1.0", "id": f"{referral_id}.2", "source": "/natverk/referrals",
        "type": "se.natverk.referral.accepted.v1", "time": "2026-11-23T08:00:00+00:00", "subject": case_id,
        "datacontenttype": "application/json", "sequence": "2", "actor": "cw-1",
        "data": {"referral_id": referral_id, "case_id": case_id, "municipality": "0380", "target": target},
    }).encode()


async def test_an_accepted_safety_team_referral_opens_a_support_plan_and_a_safety_plan(settings: ServiceSettings) -> None:
    case_id, referral_id = f"S-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    app = create_network_support(settings)
    app.state.runtime.app.today = lambda: date(2026, 11, 23)
    async with serving(app) as support:
        await produce(settings.kafka_bootstrap, REFERRALS, [referral_accepted(case_id, referral_id, "safety_team")] * 2,
                      key=case_id.encode())

        async def safety_plan():
            response = await support.get(f"/api/v1/cases/{case_id}/safety-plan", headers=WORKER)
            return response.json() if response.status_code == 200 else None

        plan = await eventually(safety_plan)
        support_plan = await support.get(f"/api/v1/cases/{case_id}/support-plan", headers=WORKER)
    assert plan["version"] == 1 and plan["follow_up_due"] == "2027-05-24"
    assert support_plan.status_code == 200 and support_plan.json()["goals"] == []
