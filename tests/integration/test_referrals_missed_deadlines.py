"""A deadline missed on referrals' worklist is noted once by two replicas sweeping at once on
either store, and reaches the case store's timeline through the real broker (ADR 0025 addendum
"deadlines missed on referrals' worklist"): the case store subscribes to every registered
``se.natverk.referral.*`` type, so an auditor reading the case sees it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from services.case_store.app import create_app as create_case_store
from services.kit.domain.working_days import add_working_days
from services.kit.inbound import parse_record
from services.kit.settings import ServiceSettings
from services.kit.worklist import local_today
from services.referrals.app import create_app as create_referrals
from tests.conftest import make_settings
from tests.support.apps import eventually, serving
from tests.support.events import encode, placement_started, valid_pin
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration]
WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",))
AUDITOR = bearer("0380", ("auditor",))
REASON = "Mamman Anna vill inte"  # free text: never on the timeline


def referral(case_id: str, child_status: str) -> dict:
    return {
        "case_id": case_id,
        "target": "network_centre",
        "child": {"pin": valid_pin(11), "protected_identity": False},
        "child_status": child_status,
        "case_worker_id": "cw-1",
        "reason": "network strengthening",
    }


@pytest.mark.one_backend
async def test_each_missed_referral_deadline_reaches_its_case_timeline(settings: ServiceSettings) -> None:
    unassigned, declined, near = (f"0380-{uuid.uuid4().hex[:6]}" for _ in range(3))
    referrals_app = create_referrals(settings)
    async with serving(referrals_app) as referrals, serving(create_case_store(settings)) as case_store:
        store = referrals_app.state.runtime.app
        store.refer_placed_child(parse_record(encode(placement_started(unassigned, f"P-{unassigned}"))))
        made = await referrals.post("/api/v1/referrals", headers=WORKER, json=referral(declined, "placed"))
        decline = f"/api/v1/referrals/{made.json()['id']}/decline"
        assert (
            await referrals.post(decline, headers=COORDINATOR, json={"reason": REASON})
        ).status_code == 200
        await referrals.post("/api/v1/referrals", headers=WORKER, json=referral(near, "placement_near"))
        store.today = lambda: add_working_days(local_today(), 5) + timedelta(days=3)  # past all three
        store.check_missed_deadlines()  # (or its periodic run, had it come first)

        async def missed_in_timelines() -> list[dict]:
            found = []
            for case_id in (unassigned, declined, near):
                response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=AUDITOR)
                items = response.json()["items"] if response.status_code == 200 else []
                found += [i for i in items if i["event_type"].endswith("_overdue.v1")]
            return found if len(found) == 3 else []

        entries = await eventually(missed_in_timelines)
    assert [e["event_type"] for e in entries] == [
        "se.natverk.referral.case_worker_assignment_overdue.v1",
        "se.natverk.referral.declined_follow_up_overdue.v1",
        "se.natverk.referral.safety_planning_examination_overdue.v1",
    ]
    assert all(e["actor"] == "system:referrals" for e in entries)
    assert valid_pin(11) not in str(entries) and "Anna" not in str(entries)


async def test_two_replicas_sweeping_at_once_note_a_missed_deadline_once_on_either_store(
    tmp_path: Path, database_url: str | None
) -> None:
    settings = make_settings(tmp_path, database_url=database_url)
    one, two = (create_referrals(settings, start_runtime=False) for _ in range(2))
    first, second = one.state.runtime.app, two.state.runtime.app
    try:
        first.refer_placed_child(parse_record(encode(placement_started("0380-R1", "P-0380-R1"))))
        day = local_today() + timedelta(days=8)
        first.today = second.today = lambda: day
        saving, counts = first.save, []

        def the_other_replica_first(*aggregates: Any, **kwargs: Any) -> Any:
            """``one`` decided to note it: ``two`` sweeps before ``one`` stores it."""
            counts.append(second.check_missed_deadlines())
            return saving(*aggregates, **kwargs)

        first.save = the_other_replica_first
        counts.append(first.check_missed_deadlines())
        assert counts == [1, 0]  # ``one``'s note conflicted with ``two``'s, harmlessly
        assert [first.check_missed_deadlines(), second.check_missed_deadlines()] == [0, 0]
    finally:
        first.close()
        second.close()
