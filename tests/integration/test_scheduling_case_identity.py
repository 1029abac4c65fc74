"""The same case id in two municipalities is two cases in scheduling too (ARCHITECTURE §2.5, ADR 0016).

Referrals arrive on the real broker; calendars and the case store's timelines are read
over HTTP with each municipality's tokens, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import REFERRALS
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from tests.integration.test_scheduling_staff_meeting import referral_received, scheduling_app
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration


VASTERAS_ROSTER = [
    ("1980-coordinator-1", "coordinator"),
    ("1980-family-therapist-1", "family_therapist"),
    ("1980-parent-supporter-1", "parent_supporter"),
]


async def test_the_same_case_id_in_two_municipalities_gets_two_case_calendars_and_two_timelines(
    settings: ServiceSettings,
) -> None:
    """ARCHITECTURE §2.5: each municipality's staff meeting is on its own case calendar and in
    its own case's timeline; neither municipality's case id blocks or shows the other's."""
    case_id = f"C-{uuid.uuid4().hex[:6]}"
    coordinators = {m: bearer(m, ("coordinator",), subject=f"co-{m}") for m in ("0380", "1980")}
    async with (
        serving(scheduling_app(settings)) as scheduling,
        serving(create_case_store(settings)) as case_store,
    ):
        for staff_id, role in VASTERAS_ROSTER:
            registered = await scheduling.post(
                "/api/v1/staff", json={"staff_id": staff_id, "role": role}, headers=coordinators["1980"]
            )
            assert registered.status_code == 201
        referrals = [
            referral_received(case_id, str(uuid.uuid4()), sequence, municipality=municipality)
            for sequence, municipality in enumerate(("0380", "1980"), start=1)
        ]
        await produce(settings.kafka_bootstrap, REFERRALS, referrals, key=case_id.encode())

        async def calendar_of(municipality: str):
            response = await scheduling.get(
                f"/api/v1/cases/{case_id}/calendar", headers=coordinators[municipality]
            )
            return response.json()["items"] if response.status_code == 200 else None

        calendars = {m: await eventually(lambda m=m: calendar_of(m)) for m in coordinators}

        async def booked_in_timeline(municipality: str):
            response = await case_store.get(
                f"/api/v1/cases/{case_id}/timeline", headers=coordinators[municipality]
            )
            entries = response.json()["items"] if response.status_code == 200 else []
            return [e for e in entries if e["event_type"] == "se.natverk.meeting.booked.v1"]

        booked = {m: await eventually(lambda m=m: booked_in_timeline(m)) for m in coordinators}
    assert [len(calendar) for calendar in calendars.values()] == [1, 1]
    assert calendars["0380"][0]["meeting_id"] != calendars["1980"][0]["meeting_id"]
    for municipality, calendar in calendars.items():
        assert all(staff.startswith(f"{municipality}-") for staff in calendar[0]["staff_ids"])
        assert len(booked[municipality]) == 1
