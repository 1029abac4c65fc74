"""On the real broker, the placement's own events conclude its open network-placement inquiry: an
end as ``placement_ended``, a change to a natverkshem as ``network_placement_made``."""

from __future__ import annotations

import uuid

import httpx
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


async def outcome_after(settings: ServiceSettings, last: dict, case_id: str, placement_id: str) -> dict:
    started = placement_started(case_id, placement_id, placement_type="familjehem")
    async with serving(create_network_support(settings)) as support:
        records = [encode(started), encode(last), encode(last)]  # the last one delivered twice
        await produce(settings.kafka_bootstrap, PLACEMENTS, records, key=case_id.encode())

        async def concluded():
            response = await support.get(f"/api/v1/placements/{placement_id}", headers=WORKER)
            shown = response.json() if response.status_code == 200 else {}
            return shown if (shown.get("inquiry") or {}).get("outcome") else None

        shown = await eventually(concluded)
        shown["worklist"] = [
            item
            for item in await whole_worklist(support)
            if item["action_path"].startswith(f"/api/v1/placements/{placement_id}/")
        ]
    return shown


async def whole_worklist(support: httpx.AsyncClient) -> list[dict]:
    """Every page: the broker may hold other tests' placements of the same municipality."""
    items, params = [], {"limit": 200}
    while True:
        page = (await support.get("/api/v1/worklist", headers=WORKER, params=params)).json()
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        params = {"limit": 200, "cursor": page["next_cursor"]}


async def test_a_placement_ended_on_the_broker_concludes_its_inquiry_as_placement_ended(
    settings: ServiceSettings,
) -> None:
    case_id, placement_id = f"E-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    shown = await outcome_after(
        settings, placement_ended(case_id, placement_id, "breakdown"), case_id, placement_id
    )
    assert shown["inquiry"]["outcome"] == "placement_ended"
    assert shown["worklist"] == []  # its clocks closed and its inquiry concluded


async def test_a_change_to_a_network_home_on_the_broker_concludes_its_inquiry_as_network_placement_made(
    settings: ServiceSettings,
) -> None:
    case_id, placement_id = f"K-{uuid.uuid4().hex[:6]}", f"P-{uuid.uuid4().hex[:6]}"
    changed = cloud_event(
        "se.placement.changed.v1", placement_data(case_id, placement_id, placement_type="natverkshem")
    )
    shown = await outcome_after(settings, changed, case_id, placement_id)
    assert shown["inquiry"]["outcome"] == "network_placement_made"
    assert "network_placement_inquiry" not in [i["obligation"] for i in shown["worklist"]]
