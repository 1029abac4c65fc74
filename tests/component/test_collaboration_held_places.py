"""What becomes of the place an accepted offer holds (ADR 0022), through the inbound handlers and HTTP
with a JWT, partners' messages read off the publication path: the case placed in another home frees
it, the requester may give it back by withdrawing the matched request, and a hold past its time is
gone for placements before the periodic sweep records its lapse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.component.test_collaboration_case_protection_http import partner_envelopes
from tests.component.test_collaboration_http import (
    GAVLE,
    UPPSALA,
    VASTERAS,
    as_,
    collaboration,
    inbound,
    register,
    service_app,
)
from tests.component.test_collaboration_partner_homes import accept, ask, free_places, matched, offer, placed
from tests.support.events import cloud_event, placement_data

__all__ = ["collaboration"]  # the fixture

CASE = "0380-C-1"
CASE_WORKER = as_(UPPSALA, "case_worker")


def placed_to_stay(case_id: str, placement_id: str, home_ref: str) -> Any:
    """A lasting placement (familjehem); a jourhem one only waits, keeping the hold (see
    test_collaboration_holds_for_their_case)."""
    data = placement_data(
        case_id, placement_id, municipality=UPPSALA, placement_type="familjehem", family_home_id=home_ref
    )
    return inbound(cloud_event("se.placement.started.v1", data))


def moved(case_id: str, placement_id: str, home_ref: str) -> Any:
    data = placement_data(
        case_id, placement_id, municipality=UPPSALA, placement_type="familjehem", family_home_id=home_ref
    )
    return inbound(cloud_event("se.placement.changed.v1", data))


def told_of_home(client: httpx.AsyncClient, partner: str, home_id: str) -> list[dict[str, Any]]:
    """The home messages ``partner``'s topic carries about ``home_id``, in order."""
    return [
        envelope["data"]
        for topic, envelope in partner_envelopes(client)
        if topic == f"partner.{partner}.v1"
        and envelope["type"] == "se.natverk.partner.family_home.v1"
        and envelope["subject"] == home_id
    ]


async def elsewhere_by_start_in_its_own_home(client: httpx.AsyncClient) -> None:
    await register(client, UPPSALA, "UPP-FH-1", [])
    service_app(client).placement_started(placed_to_stay(CASE, "P-1", "UPP-FH-1"))


async def elsewhere_by_start_in_another_partners_home(client: httpx.AsyncClient) -> None:
    gavle_home = await register(client, GAVLE, "GAV-FH-1", [UPPSALA])
    service_app(client).placement_started(placed_to_stay(CASE, "P-1", gavle_home))


async def elsewhere_by_a_change_out_of_its_emergency_home(client: httpx.AsyncClient) -> None:
    """The child waited in Uppsala's own emergency home; the change moves it to another own home."""
    await register(client, UPPSALA, "UPP-FH-2", [])
    service_app(client).placement_changed(moved(CASE, "P-0", "UPP-FH-2"))


ELSEWHERE = {
    "a start in its own home": elsewhere_by_start_in_its_own_home,
    "a start in another partner's home": elsewhere_by_start_in_another_partners_home,
    "a change moving it out of its emergency home": elsewhere_by_a_change_out_of_its_emergency_home,
}


@pytest.mark.parametrize("placement", list(ELSEWHERE))
async def test_a_case_placed_in_another_home_frees_the_place_its_accepted_offer_held(
    collaboration, placement: str
) -> None:
    await register(collaboration, UPPSALA, "UPP-JH-1", [])
    service_app(collaboration).placement_started(placed(CASE, "P-0", "UPP-JH-1"))  # waiting here
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched(collaboration, held_home, CASE)
    assert await free_places(collaboration, held_home) == 0
    await ELSEWHERE[placement](collaboration)
    assert await free_places(collaboration, held_home) == 1
    last = told_of_home(collaboration, UPPSALA, held_home)[-1]
    assert (last["change"], last["free_places"], last["available"]) == ("updated", 1, True)
    again = await offer(collaboration, await ask(collaboration, "0380-C-2"), held_home)
    assert again.status_code == 201, again.text


async def test_a_change_of_something_else_where_the_child_waits_keeps_the_place_held_for_it(
    collaboration,
) -> None:
    await register(collaboration, UPPSALA, "UPP-JH-1", [])
    app = service_app(collaboration)
    app.placement_started(placed(CASE, "P-0", "UPP-JH-1"))
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched(collaboration, held_home, CASE)
    still_waiting = placement_data(  # the same home, still a jourhem: a change of something else
        CASE, "P-0", municipality=UPPSALA, family_home_id="UPP-JH-1", school_change=True
    )
    app.placement_changed(inbound(cloud_event("se.placement.changed.v1", still_waiting)))
    assert await free_places(collaboration, held_home) == 0


async def test_the_requester_gives_back_an_accepted_place_by_withdrawing_the_matched_request(
    collaboration,
) -> None:
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    declined_home = await register(collaboration, GAVLE, "GAV-FH-1", [UPPSALA])
    request_id = await ask(collaboration, CASE, partners=[VASTERAS, GAVLE])
    accepted = (await offer(collaboration, request_id, held_home)).json()["offer_id"]
    declined = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/offers", headers=as_(GAVLE), json={"home_id": declined_home}
    )
    assert (await accept(collaboration, request_id, accepted)).status_code == 200
    before = len(partner_envelopes(collaboration))
    withdrawn = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/withdraw", headers=CASE_WORKER
    )
    assert withdrawn.status_code == 200, withdrawn.text
    offers = {o["offer_id"]: o["status"] for o in withdrawn.json()["offers"]}
    assert (withdrawn.json()["status"], offers) == (
        "withdrawn",
        {accepted: "withdrawn", declined.json()["offer_id"]: "declined"},
    )
    assert await free_places(collaboration, held_home) == 1
    told = [
        (topic, e["type"].split(".")[3], e["data"]["change"]) for topic, e in partner_envelopes(collaboration)
    ]
    assert sorted(told[before:]) == [
        ("partner.0380.v1", "family_home", "updated"),  # the place is free again
        ("partner.1980.v1", "matching_request", "withdrawn"),
        ("partner.1980.v1", "offer", "withdrawn"),  # its accepted offer; Gävle's stays declined
        ("partner.2180.v1", "matching_request", "withdrawn"),
    ]
    assert told_of_home(collaboration, UPPSALA, held_home)[-1]["free_places"] == 1


def lapsed(client: httpx.AsyncClient, _: str) -> None:
    """Past the hold's time (336 hours), the periodic sweep not come yet."""
    service_app(client).clock = lambda: datetime.now(UTC) + timedelta(hours=337)


def taken_by_its_placement(client: httpx.AsyncClient, home_id: str) -> None:
    service_app(client).placement_started(placed(CASE, "P-1", home_id))


@pytest.mark.parametrize("ending", [lapsed, taken_by_its_placement])
async def test_a_matched_request_whose_place_is_no_longer_held_is_not_withdrawn(
    collaboration, ending: Any
) -> None:
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    request_id = await matched(collaboration, held_home, CASE)
    ending(collaboration, held_home)
    late = await collaboration.post(f"/api/v1/matching-requests/{request_id}/withdraw", headers=CASE_WORKER)
    assert (late.status_code, late.json()["error"]["code"]) == (409, "request_closed")
    own = await collaboration.get(f"/api/v1/matching-requests/{request_id}", headers=CASE_WORKER)
    assert own.json()["status"] == "matched"


async def test_a_hold_past_its_time_lets_no_placement_into_a_home_no_longer_shared_before_the_sweep(
    collaboration,
) -> None:
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched(collaboration, held_home, CASE)
    unshared = await collaboration.put(
        f"/api/v1/family-homes/{held_home}/sharing", headers=as_(VASTERAS), json={"shared_with": []}
    )
    assert unshared.status_code == 200, unshared.text
    lapsed(collaboration, held_home)
    service_app(collaboration).placement_started(placed(CASE, "P-1", held_home))
    home = await collaboration.get(f"/api/v1/family-homes/{held_home}", headers=as_(VASTERAS))
    assert home.json()["occupied_places"] == 0
