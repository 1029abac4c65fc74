"""Partner homes end to end (issue 16, item 2; ADR 0022): a placement names a partner's home by its
pool id, an accepted offer holds the place until its placement arrives or the hold lapses, the place
stays taken until the placement ends whatever happens to the sharing, and an offer must fit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from services.collaboration.app import create_app
from tests.component.test_collaboration_http import (
    UPPSALA,
    VASTERAS,
    announce,
    as_,
    collaboration,
    inbound,
    new_request,
    register,
    service_app,
)
from tests.conftest import make_settings
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture, shared with the collaboration HTTP tests


def placed(case_id: str, placement_id: str, home_ref: str) -> Any:
    return inbound(placement_started(case_id, placement_id, municipality=UPPSALA, family_home_id=home_ref))


def left(case_id: str, placement_id: str, home_ref: str) -> Any:
    return inbound(placement_ended(case_id, placement_id, municipality=UPPSALA, family_home_id=home_ref))


async def free_places(client: httpx.AsyncClient, home_id: str) -> int:
    home = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))
    return home.json()["free_places"]


async def ask(client: httpx.AsyncClient, case_id: str = "0380-C-1", **changes: Any) -> str:
    body = {**new_request([VASTERAS], case_id), **changes}
    opened = await client.post("/api/v1/matching-requests", headers=as_(UPPSALA, "case_worker"), json=body)
    assert opened.status_code == 201, opened.text
    return opened.json()["request_id"]


async def offer(client: httpx.AsyncClient, request_id: str, home_id: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/matching-requests/{request_id}/offers", headers=as_(VASTERAS), json={"home_id": home_id}
    )


async def accept(client: httpx.AsyncClient, request_id: str, offer_id: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/matching-requests/{request_id}/accept",
        headers=as_(UPPSALA, "case_worker"),
        json={"offer_id": offer_id},
    )


async def matched(client: httpx.AsyncClient, home_id: str, case_id: str = "0380-C-1") -> str:
    """Uppsala asks for a home for the case; Västerås offers ``home_id``; Uppsala accepts."""
    request_id = await ask(client, case_id)
    offered = await offer(client, request_id, home_id)
    assert offered.status_code == 201, offered.text
    assert (await accept(client, request_id, offered.json()["offer_id"])).status_code == 200
    return request_id


async def test_a_placement_naming_a_partner_home_by_its_pool_id_takes_the_place(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-1", [UPPSALA], capacity=1)
    service_app(collaboration).placement_started(placed("0380-C-1", "P-1", home_id))
    assert await free_places(collaboration, home_id) == 0


async def test_an_accepted_offer_holds_the_place_so_the_home_cannot_be_offered_again(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-2", [UPPSALA], capacity=1)
    await matched(collaboration, home_id)
    assert await free_places(collaboration, home_id) == 0
    second = await offer(collaboration, await ask(collaboration, "0380-C-2"), home_id)
    assert second.status_code == 409


async def test_the_accepted_offers_placement_takes_the_held_place_until_it_ends(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-3", [UPPSALA], capacity=2)
    await matched(collaboration, home_id)
    app = service_app(collaboration)
    app.placement_started(placed("0380-C-1", "P-3", home_id))
    assert await free_places(collaboration, home_id) == 1  # one resident, no hold left besides
    app.placement_ended(left("0380-C-1", "P-3", home_id))
    assert await free_places(collaboration, home_id) == 2


async def test_a_hold_whose_placement_never_comes_lapses_after_the_configured_time(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, offer_hold_hours=24), start_runtime=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://c") as client:
        client.app = app  # type: ignore[attr-defined]
        home_id = await register(client, VASTERAS, "VAS-PH-4", [UPPSALA], capacity=1)
        await matched(client, home_id)
        pool = service_app(client)
        pool.clock = lambda: datetime.now(UTC) + timedelta(hours=23)
        pool.lapse_holds()
        assert await free_places(client, home_id) == 0
        pool.clock = lambda: datetime.now(UTC) + timedelta(hours=25)
        pool.lapse_holds()
        assert await free_places(client, home_id) == 1
    app.state.runtime.app.close()


async def test_a_home_unshared_while_a_child_lives_there_stays_taken_until_the_placement_ends(
    collaboration,
) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-5", [UPPSALA], capacity=1)
    app = service_app(collaboration)
    app.placement_started(placed("0380-C-5", "P-5", home_id))
    unshared = await collaboration.put(
        f"/api/v1/family-homes/{home_id}/sharing", headers=as_(VASTERAS), json={"shared_with": []}
    )
    assert unshared.status_code == 200 and unshared.json()["free_places"] == 0
    app.placement_ended(left("0380-C-5", "P-5", home_id))
    assert await free_places(collaboration, home_id) == 1


async def test_an_offer_of_a_home_outside_the_requests_age_band_is_refused_with_a_reason(
    collaboration,
) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-6", [UPPSALA])  # ages 0-17
    refused = await offer(collaboration, await ask(collaboration, age_band="18-20"), home_id)
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "the home's age range does not meet the request's age band"


async def test_an_offer_of_a_home_without_what_the_placement_type_needs_is_refused(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-7", [UPPSALA])  # reinforced only
    refused = await offer(
        collaboration, await ask(collaboration, placement_type="behandlingsfamilj"), home_id
    )
    assert refused.status_code == 422
    message = refused.json()["error"]["message"]
    assert message == "the home lacks the specialisation the requested placement type needs"


async def test_an_offer_of_a_home_without_a_specialisation_the_needs_name_is_refused(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-8", [UPPSALA])  # reinforced only
    refused = await offer(collaboration, await ask(collaboration, needs=["emergency"]), home_id)
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "the home lacks a specialisation the request's needs name"


async def test_accepting_an_offer_of_a_home_that_filled_meanwhile_is_refused(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-PH-9", [UPPSALA], capacity=1)
    request_id = await ask(collaboration)
    offered = await offer(collaboration, request_id, home_id)
    service_app(collaboration).placement_started(placed("0380-C-7", "P-9", home_id))
    refused = await accept(collaboration, request_id, offered.json()["offer_id"])
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "the home has no free place any more"


async def test_a_retried_booking_id_with_other_seats_is_refused_not_answered_as_the_first(
    collaboration,
) -> None:
    activity_id = await announce(collaboration, seats=4)
    path = f"/api/v1/activities/{activity_id}/bookings"
    first = await collaboration.post(path, headers=as_(VASTERAS), json={"seats": 1, "booking_id": "b-7"})
    assert first.status_code == 201
    changed = await collaboration.post(path, headers=as_(VASTERAS), json={"seats": 3, "booking_id": "b-7"})
    assert changed.status_code == 409
    seen = await collaboration.get(f"/api/v1/activities/{activity_id}", headers=as_(VASTERAS))
    assert seen.json()["seats_free"] == 3
