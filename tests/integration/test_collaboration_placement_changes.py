"""A placement change that names another family home moves the child on the real broker (issue 16,
item 1): the old home is freed, the new one taken, partners hear both, and no repeat or late event
takes a second place."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import PLACEMENTS
from services.collaboration.app import create_app as create_collaboration
from services.kit.settings import ServiceSettings
from tests.integration.test_collaboration_partner_topics import (
    UPPSALA,
    VASTERAS,
    consultant,
    partner_messages,
    register,
)
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import cloud_event, encode, placement_data, placement_ended, placement_started

pytestmark = [pytest.mark.integration]


def placement_changed(case_id: str, placement_id: str, home: str, event_id: str | None = None) -> dict:
    data = placement_data(case_id, placement_id, placement_type="familjehem", family_home_id=home)
    return cloud_event("se.placement.changed.v1", data, event_id, time="2026-11-25T09:00:00Z")


async def occupied(client, home_id: str) -> int:
    response = await client.get(f"/api/v1/family-homes/{home_id}", headers=consultant(UPPSALA))
    return response.json()["occupied_places"]


async def send_then_mark(
    settings: ServiceSettings, client, case_id: str, events: list[dict], tag: str
) -> None:
    """Send ``events`` for one case, then a start into a marker home on the same partition, and wait
    until the marker is taken: by then every event before it has been handled."""
    marker = await register(client, UPPSALA, f"UPP-MARK-{tag}", [])
    last = placement_started(case_id, f"MARK-{tag}", family_home_id=f"UPP-MARK-{tag}")
    records = [encode(event) for event in [*events, last]]
    await produce(settings.kafka_bootstrap, PLACEMENTS, records, key=case_id.encode())
    await eventually(lambda: _is_taken(client, marker))


async def _is_taken(client, home_id: str) -> bool:
    return await occupied(client, home_id) == 1


async def test_a_change_to_another_home_frees_the_old_and_takes_the_new_once(
    settings: ServiceSettings,
) -> None:
    tag = uuid.uuid4().hex[:6]
    case_id, placement_id = f"0380-MV-{tag}", f"PL-{tag}"
    async with serving(create_collaboration(settings)) as client:
        old = await register(client, UPPSALA, f"UPP-OLD-{tag}", [VASTERAS])
        new = await register(client, UPPSALA, f"UPP-NEW-{tag}", [VASTERAS])
        moved = placement_changed(case_id, placement_id, f"UPP-NEW-{tag}")
        events = [
            placement_started(case_id, placement_id, family_home_id=f"UPP-OLD-{tag}"),
            moved,
            moved,  # redelivered
            placement_started(case_id, placement_id, family_home_id=f"UPP-OLD-{tag}"),  # sent again, late
        ]
        await send_then_mark(settings, client, case_id, events, tag)
        assert (await occupied(client, old), await occupied(client, new)) == (0, 1)


async def test_partners_hear_the_old_home_come_free_and_the_new_one_taken(settings: ServiceSettings) -> None:
    tag = uuid.uuid4().hex[:6]
    case_id, placement_id = f"0380-MP-{tag}", f"PL-{tag}"
    async with serving(create_collaboration(settings)) as client:
        old = await register(client, UPPSALA, f"UPP-OLD-{tag}", [VASTERAS])
        new = await register(client, UPPSALA, f"UPP-NEW-{tag}", [VASTERAS])
        events = [
            placement_started(case_id, placement_id, family_home_id=f"UPP-OLD-{tag}"),
            placement_changed(case_id, placement_id, f"UPP-NEW-{tag}"),
        ]
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(e) for e in events], key=case_id.encode())

        async def told() -> dict[str, list[tuple[str, int]]] | None:
            news: dict[str, list[tuple[str, int]]] = {old: [], new: []}
            for _, message in await partner_messages(settings.kafka_bootstrap, VASTERAS):
                data = message["data"]
                if message["type"] == "se.natverk.partner.family_home.v1" and data["home_id"] in news:
                    news[data["home_id"]].append((data["change"], data["free_places"]))
            return news if len(news[old]) >= 3 and len(news[new]) >= 2 else None

        news = await eventually(told)
    assert news[old] == [("shared", 2), ("updated", 1), ("updated", 2)]
    assert news[new] == [("shared", 2), ("updated", 1)]


async def test_a_change_arriving_after_the_end_takes_no_place(settings: ServiceSettings) -> None:
    tag = uuid.uuid4().hex[:6]
    case_id, placement_id = f"0380-ME-{tag}", f"PL-{tag}"
    async with serving(create_collaboration(settings)) as client:
        old = await register(client, UPPSALA, f"UPP-OLD-{tag}", [])
        new = await register(client, UPPSALA, f"UPP-NEW-{tag}", [])
        events = [
            placement_started(case_id, placement_id, family_home_id=f"UPP-OLD-{tag}"),
            placement_ended(case_id, placement_id, family_home_id=f"UPP-OLD-{tag}"),
            placement_changed(case_id, placement_id, f"UPP-NEW-{tag}"),
        ]
        await send_then_mark(settings, client, case_id, events, tag)
        assert (await occupied(client, old), await occupied(client, new)) == (0, 0)
