"""A referral's child placed, on the referrals topic: the staff meeting invites a parent supporter,
their calendar shows it and the case timeline says so."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import REFERRALS
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from tests.integration.test_scheduling_staff_meeting import (
    COORDINATOR,
    referral_received,
    scheduling_app,
    second_referral_event,
)
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
SUPPORTERS = ("0380-parent-supporter-1", "0380-parent-supporter-2")


async def test_a_child_placed_on_the_topic_gets_a_parent_supporter_invited_to_the_staff_meeting(
    settings: ServiceSettings,
) -> None:
    case_id, referral_id = f"C-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    received = referral_received(case_id, referral_id, 1, child_status="placement_near")
    child_placed = second_referral_event("child_placed", case_id, referral_id, placement_id="P-2")
    async with (
        serving(scheduling_app(settings)) as scheduling,
        serving(create_case_store(settings)) as case_store,
    ):
        await produce(
            settings.kafka_bootstrap, REFERRALS, [received, child_placed, child_placed], key=case_id.encode()
        )

        async def in_a_supporters_calendar():
            for supporter in SUPPORTERS:
                response = await scheduling.get(f"/api/v1/staff/{supporter}/calendar", headers=COORDINATOR)
                items = response.json()["items"] if response.status_code == 200 else []
                if any(item["case_id"] == case_id for item in items):
                    return supporter
            return None

        supporter = await eventually(in_a_supporters_calendar)

        async def in_the_timeline():
            response = await case_store.get(
                f"/api/v1/cases/{case_id}/timeline", headers=bearer("0380", ("auditor",))
            )
            types = [e["event_type"] for e in response.json()["items"]] if response.status_code == 200 else []
            return types if "se.natverk.meeting.invitees_changed.v1" in types else None

        timeline = await eventually(in_the_timeline)
        case_calendar = await scheduling.get(f"/api/v1/cases/{case_id}/calendar", headers=COORDINATOR)
    [meeting] = case_calendar.json()["items"]
    assert [s for s in meeting["staff_ids"] if s in SUPPORTERS] == [supporter]
    assert timeline.count("se.natverk.meeting.invitees_changed.v1") == 1  # the repeat changed nothing
