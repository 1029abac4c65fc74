"""Two municipalities' placements with the same id in one home of the pool, on the real broker and
each store (ADR 0022, addendum "a resident is its placer's"): each takes its own place, and one
municipality's end frees its own child's place, never the other municipality's."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import PLACEMENTS
from services.collaboration.app import create_app as create_collaboration
from services.kit.settings import ServiceSettings
from tests.integration.test_collaboration_partner_topics import (
    GAVLE,
    UPPSALA,
    VASTERAS,
    consultant,
    partner_messages,
    register,
)
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import encode, placement_ended, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration]


async def test_one_municipality_s_end_frees_its_own_placement_not_another_s_with_the_same_id(
    settings: ServiceSettings,
) -> None:
    tag = uuid.uuid4().hex[:6]
    placement_id = f"PL-{tag}"  # both case systems number a placement so
    cases = {UPPSALA: f"0380-SI-{tag}", GAVLE: f"2180-SI-{tag}"}
    async with serving(create_collaboration(settings)) as client:
        home_id = await register(client, VASTERAS, f"VAS-SI-{tag}", [UPPSALA, GAVLE])

        async def send(record: dict, occupied: int) -> None:
            await produce(
                settings.kafka_bootstrap, PLACEMENTS, [encode(record)], key=record["subject"].encode()
            )

            async def reached() -> bool:
                home = await client.get(f"/api/v1/family-homes/{home_id}", headers=consultant(VASTERAS))
                return home.json()["occupied_places"] == occupied

            await eventually(reached)

        def record(make, municipality: str) -> dict:
            return make(cases[municipality], placement_id, municipality=municipality, family_home_id=home_id)

        await send(record(placement_started, UPPSALA), occupied=1)
        await send(record(placement_started, GAVLE), occupied=2)
        await send(record(placement_ended, GAVLE), occupied=1)
        registrar = bearer(UPPSALA, ("registrar",), "reg-1")
        part = await client.post(
            "/api/v1/subject-access", headers=registrar, json={"case_ids": [cases[UPPSALA]]}
        )
        [residence] = part.json()["cases"][0]["residences"]
        assert (residence["home_id"], residence["moved_out"]) == (home_id, None)

        async def told_uppsala() -> list[int] | None:
            free = [
                message["data"]["free_places"]
                for _, message in await partner_messages(settings.kafka_bootstrap, UPPSALA)
                if message["type"] == "se.natverk.partner.family_home.v1"
                and message["data"]["home_id"] == home_id
            ]
            return free if len(free) >= 4 else None

        assert await eventually(told_uppsala) == [2, 1, 0, 1]
