"""Partner homes on the real broker (issue 16, item 2; ADR 0022): the placer names the partner's home
by the pool id it knows, the accepted offer's hold becomes the placement, and the partner topic tells
the placer each change of free places, once."""

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
from tests.support.clock import day_from_today
from tests.support.events import encode, placement_ended, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]


async def test_a_placement_named_by_pool_id_on_the_broker_takes_the_held_place_until_it_ends(
    settings: ServiceSettings,
) -> None:
    tag = uuid.uuid4().hex[:6]
    case_id = f"0380-PH-{tag}"
    app = create_collaboration(settings)
    async with serving(app) as client:
        home_id = await register(client, VASTERAS, f"VAS-PH-{tag}", [UPPSALA])  # two places
        opened = await client.post(
            "/api/v1/matching-requests",
            headers=bearer(UPPSALA, ("case_worker",)),
            json={
                "case_id": case_id,
                "partners": [VASTERAS],
                "age_band": "6-12",
                "placement_type": "familjehem",
                "needs": [],
                "from_date": day_from_today(),
                "protected_identity": False,
            },
        )
        request_id = opened.json()["request_id"]
        offered = await client.post(
            f"/api/v1/matching-requests/{request_id}/offers",
            headers=consultant(VASTERAS),
            json={"home_id": home_id},
        )
        accepted = await client.post(
            f"/api/v1/matching-requests/{request_id}/accept",
            headers=bearer(UPPSALA, ("case_worker",)),
            json={"offer_id": offered.json()["offer_id"]},
        )
        assert accepted.status_code == 200, accepted.text
        # Uppsala's case system knows the home only by its pool id, and names it so.
        for event in (
            placement_started(case_id, f"PL-{tag}", family_home_id=home_id),
            placement_ended(case_id, f"PL-{tag}", family_home_id=home_id),
        ):
            await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(event)], key=case_id.encode())

        async def told_all():
            news = [
                (e["data"]["change"], e["data"]["free_places"])
                for _, e in await partner_messages(settings.kafka_bootstrap, UPPSALA)
                if e["type"] == "se.natverk.partner.family_home.v1" and e["data"]["home_id"] == home_id
            ]
            return news if len(news) >= 4 else None

        news = await eventually(told_all)
    # Shared; held for the accepted offer; the hold became the placement; the placement ended.
    assert news == [("shared", 2), ("updated", 1), ("updated", 1), ("updated", 2)]
