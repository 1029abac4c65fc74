"""A referral to the Network Centre on Kafka convenes the staff meeting within 7 days."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest

from contracts.topics import REFERRALS, SCHEDULING
from services.case_store.app import create_app as create_case_store
from services.kit.auth import Caller
from services.kit.http import build_http_app
from services.kit.settings import ServiceSettings
from services.scheduling.api import routers
from services.scheduling.app import build_runtime
from services.scheduling.commands import NewMeeting
from tests.support.apps import eventually, serving
from tests.support.broker import produce, read_topic
from tests.support.referral_records import REFERRED_AT, referral_received
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
COORDINATOR = bearer("0380", ("coordinator",))


def scheduling_app(settings: ServiceSettings):
    runtime = build_runtime(settings)
    runtime.app.clock = lambda: datetime(2026, 11, 23, 8, 0)
    return build_http_app(runtime, routers)


async def test_a_referral_yields_one_staff_meeting_within_seven_days_and_a_timeline_entry(
    settings: ServiceSettings,
) -> None:
    case_id, referral_id = f"S-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    async with (
        serving(scheduling_app(settings)) as scheduling,
        serving(create_case_store(settings)) as case_store,
    ):
        await produce(
            settings.kafka_bootstrap,
            REFERRALS,
            [referral_received(case_id, referral_id, 1)] * 3,
            key=case_id.encode(),
        )

        async def booked():
            response = await scheduling.get(f"/api/v1/cases/{case_id}/calendar", headers=COORDINATOR)
            return response.json()["items"] if response.status_code == 200 else None

        meetings = await eventually(booked)

        async def booked_in_timeline():
            types = await _timeline_types(case_store, case_id)
            return types if "se.natverk.meeting.booked.v1" in types else None

        timeline = await eventually(booked_in_timeline)
    assert len(meetings) == 1
    start = datetime.fromisoformat(meetings[0]["start"])
    assert meetings[0]["kind"] == "staff_meeting"
    assert start <= datetime(2026, 11, 30, 8, 0)
    roles = {staff.rsplit("-", 1)[0] for staff in meetings[0]["staff_ids"]}
    assert roles == {
        "0380-coordinator",
        "0380-family-therapist",
        "0380-family-pedagogue",
        "0380-parent-supporter",
        "0380-resource-team",  # added on first use; the referral's case worker is unassigned
    }
    assert "se.natverk.meeting.booked.v1" in timeline


async def _timeline_types(case_store, case_id: str) -> set[str]:
    response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=bearer("0380", ("auditor",)))
    return {e["event_type"] for e in response.json()["items"]} if response.status_code == 200 else set()


async def test_an_overbooked_roster_books_late_and_reports_the_missed_deadline(
    settings: ServiceSettings,
) -> None:
    case_id, referral_id = f"O-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    app = scheduling_app(settings)
    scheduling = app.state.runtime.app
    busy_from = datetime(2026, 11, 23, 8)  # from now (the app's clock): nothing is booked in the past
    for day in range(9):  # the coordinator's whole working day, nine days running (a meeting is 12 h at most)
        scheduling.book_meetings(
            Caller("test", "0380", frozenset({"coordinator"})),
            NewMeeting(
                case_id="0380-busy",
                kind="network_meeting",
                start=busy_from + timedelta(days=day),
                end=busy_from + timedelta(days=day, hours=8, minutes=30),  # to 16:30, when it ends
                staff_ids=["0380-coordinator-1"],
                # Overbooked on purpose: the weekend and past the 40 hours of their week, knowingly.
                outside_working_hours=True,
                over_weekly_capacity=True,
            ),
        )
    async with serving(app):
        await produce(
            settings.kafka_bootstrap,
            REFERRALS,
            [referral_received(case_id, referral_id, 1)],
            key=case_id.encode(),
        )

        async def missed():
            records = await read_topic(settings.kafka_bootstrap, SCHEDULING)
            types = [
                json.loads(r.value)["type"] for r in records if json.loads(r.value)["subject"] == case_id
            ]
            return types if "se.natverk.meeting.staff_meeting_deadline_missed.v1" in types else None

        types = await eventually(missed)
        metrics = (await scheduling_client_metrics(app)).splitlines()
        listed, single = await calendar_and_meeting(app, case_id)
    assert single["deadline_missed"] is True
    assert (listed["deadline"], listed["deadline_missed"]) == (
        single["deadline"],
        True,
    )  # the list says so too
    assert "se.natverk.meeting.booked.v1" in types
    assert any(
        line.startswith('natverk_staff_meetings_total{municipality="0380",sla="breached"} 1.0')
        for line in metrics
    )


async def calendar_and_meeting(app, case_id: str) -> tuple[dict, dict]:
    """The staff meeting as the case's calendar lists it, and as the meeting itself reads."""
    import httpx

    headers = bearer("0380", ("coordinator",))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client:
        [listed] = (await client.get(f"/api/v1/cases/{case_id}/calendar", headers=headers)).json()["items"]
        single = (await client.get(f"/api/v1/meetings/{listed['meeting_id']}", headers=headers)).json()
    return listed, single


async def scheduling_client_metrics(app) -> str:
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client:
        return (await client.get("/metrics")).text


def second_referral_event(kind: str, case_id: str, referral_id: str, **data: str) -> bytes:
    """The referrals relay's second event of a referral to the Network Centre (``sequence`` 2)."""
    return json.dumps(
        {
            "specversion": "1.0",
            "id": f"{referral_id}.2",
            "source": "/natverk/referrals",
            "type": f"se.natverk.referral.{kind}.v1",
            "time": REFERRED_AT.isoformat(),
            "subject": case_id,
            "datacontenttype": "application/json",
            "sequence": "2",
            "data": {
                "referral_id": referral_id,
                "case_id": case_id,
                "municipality": "0380",
                "target": "network_centre",
                **data,
            },
        }
    ).encode()


async def test_a_declined_referral_cancels_its_staff_meeting(settings: ServiceSettings) -> None:
    case_id, referral_id = f"D-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    declined = second_referral_event("declined", case_id, referral_id)
    async with serving(scheduling_app(settings)) as scheduling:
        await produce(
            settings.kafka_bootstrap,
            REFERRALS,
            [referral_received(case_id, referral_id, 1), declined],
            key=case_id.encode(),
        )

        async def cancelled():
            response = await scheduling.get(f"/api/v1/cases/{case_id}/calendar", headers=COORDINATOR)
            return response.status_code == 200 and response.json()["items"][0]["status"] == "cancelled"

        await eventually(cancelled)


async def test_a_case_worker_assigned_on_the_topic_is_invited_to_the_staff_meeting(
    settings: ServiceSettings,
) -> None:
    case_id, referral_id = f"A-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    assigned = second_referral_event(
        "case_worker_assigned", case_id, referral_id, case_worker_id="handlaggare-7"
    )
    async with serving(scheduling_app(settings)) as scheduling:
        await produce(
            settings.kafka_bootstrap,
            REFERRALS,
            [referral_received(case_id, referral_id, 1), assigned],
            key=case_id.encode(),
        )

        async def invited():
            response = await scheduling.get("/api/v1/staff/handlaggare-7/calendar", headers=COORDINATOR)
            items = response.json()["items"] if response.status_code == 200 else []
            return [item for item in items if item["case_id"] == case_id] or None

        [meeting] = await eventually(invited)
    assert meeting["kind"] == "staff_meeting"
