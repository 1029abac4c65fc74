"""One stored event may publish several records on its service's topic, all at its relay position
(a danger statement and its first scale reading; a booking and its missed deadline).  Whichever
consumer batches they arrive in, every one of them is applied once."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import NETWORK_SUPPORT
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import cloud_event, encode
from tests.support.tokens import bearer

AUDITOR = bearer("0380", ("auditor",))


def relayed_records(case_id: str, sequence: int) -> tuple[bytes, bytes]:
    """What network_support's relay writes for one stored DangerStatementAdded: two records,
    ids ``<aggregate>.<version>`` and ``<aggregate>.<version>.1``, both at the event's sequence."""
    stored_event = f"{uuid.uuid4()}.2"
    facts = {"case_id": case_id, "municipality": "0380"}
    envelope = {"source": "/natverk/network_support", "sequence": str(sequence), "actor": "sub-nc-1"}
    statement = cloud_event(
        "se.natverk.safety_plan.changed.v1",
        {**facts, "version": 1, "change": "danger_statement_added", "follow_up_due": "2027-06-01"},
        stored_event,
        **envelope,
    )
    first_scale = cloud_event(
        "se.natverk.safety_plan.scale_recorded.v1",
        {**facts, "statement_id": 1, "value": 3, "on": "2026-12-01"},
        f"{stored_event}.1",
        **envelope,
    )
    return encode(statement), encode(first_scale)


@pytest.mark.one_backend
async def test_a_stored_events_second_record_fetched_after_its_first_was_applied_reaches_the_timeline(
    settings: ServiceSettings,
) -> None:
    case_id = f"0380-R-{uuid.uuid4().hex[:6]}"
    statement, first_scale = relayed_records(case_id, sequence=1_000_000)
    async with serving(create_case_store(settings)) as case_store:

        async def timeline_types() -> list[str]:
            response = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=AUDITOR)
            return [e["event_type"] for e in response.json()["items"]] if response.status_code == 200 else []

        await produce(settings.kafka_bootstrap, NETWORK_SUPPORT, [statement], key=case_id.encode())
        await eventually(timeline_types)  # the first record is applied, in a batch of its own
        await produce(settings.kafka_bootstrap, NETWORK_SUPPORT, [first_scale], key=case_id.encode())

        async def both_applied() -> bool:
            return len(await timeline_types()) == 2

        await eventually(both_applied)
        # A repeat of both, as after a relay crash, adds nothing.
        await produce(
            settings.kafka_bootstrap, NETWORK_SUPPORT, [statement, first_scale], key=case_id.encode()
        )
        marker_case = f"{case_id}-m"
        marker, _ = relayed_records(marker_case, sequence=1_000_001)
        await produce(settings.kafka_bootstrap, NETWORK_SUPPORT, [marker], key=case_id.encode())

        async def marker_applied() -> bool:
            response = await case_store.get(f"/api/v1/cases/{marker_case}/timeline", headers=AUDITOR)
            return response.status_code == 200

        await eventually(marker_applied)
        types = await timeline_types()
    assert types == ["se.natverk.safety_plan.changed.v1", "se.natverk.safety_plan.scale_recorded.v1"]
