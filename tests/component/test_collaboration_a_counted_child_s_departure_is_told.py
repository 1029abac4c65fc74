"""A child partners were told of at its move-in is told of as it leaves, whether or not it became
protected since; and an owner's command that changes nothing stores and tells nothing (ADR 0009,
second addendum, decision 4), through the kit's real tracking consumer, the publication table and
HTTP with JWTs.

Before: such a child, once protected, kept its place taken for partners and the owner until the
owner's next change of the home, and the owner could make one at will by saving the home's profile
unchanged (each save stored a change and told every partner "updated").  So the owner, another
municipality than the child's, could time the departure to any precision and tell that the child
had become protected: a place came free with no departure announced."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.component.test_collaboration_a_protected_stay_is_nothing_to_others import anonymous, in_home, read
from tests.component.test_collaboration_case_protection_http import changed, collaboration, partner_envelopes
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, register
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

# The profile ``register`` gives a home: saving it again changes nothing.
UNCHANGED = {
    "capacity": 1,
    "age_min": 0,
    "age_max": 17,
    "specialisations": ["reinforced"],
    "languages": ["sv", "ar"],
}


async def re_save_profile(client: httpx.AsyncClient, home_id: str) -> tuple[int, str]:
    saved = await client.put(f"/api/v1/family-homes/{home_id}/profile", headers=as_(VASTERAS), json=UNCHANGED)
    return anonymous(saved, home_id)


def told(client: httpx.AsyncClient, home_id: str) -> list[str]:
    """Every partner message about the home, ids, times and the home's id blanked, as JSON."""
    return [
        f"{topic} {json.dumps(envelope | {'id': '<id>', 'time': '<time>'})}".replace(home_id, "<home>")
        for topic, envelope in partner_envelopes(client)
        if envelope["subject"] == home_id
    ]


def stored(client: httpx.AsyncClient) -> int:
    return len(client.app.state.runtime.app.recorder.select_notifications(1, 10_000))  # type: ignore[attr-defined]


async def homes_with_gavle_s_children(client: httpx.AsyncClient) -> dict[str, str]:
    """Västerås's one-place homes "now protected" and "never protected", each with a Gävle child
    told to partners as it moved in; the first child is then said to have a protected identity."""
    homes = {
        k: await register(client, VASTERAS, f"VAS-{n}", [UPPSALA, GAVLE], capacity=1)
        for n, k in enumerate(("now protected", "never protected"))
    }
    for n, home_id in enumerate(homes.values()):
        await client.feed(placement_started(f"2180-C-{n}", f"G-{n}", **in_home(GAVLE, home_id)))
    where = in_home(GAVLE, homes["now protected"])
    await client.feed(changed("2180-C-0", "G-0", **where, protected_identity=True))
    return homes


async def leave(client: httpx.AsyncClient, homes: dict[str, str]) -> None:
    for n, home_id in enumerate(homes.values()):
        await client.feed(placement_ended(f"2180-C-{n}", f"G-{n}", **in_home(GAVLE, home_id)))


async def test_a_now_protected_child_s_departure_is_told_to_partners_and_the_owner_as_an_unprotected_child_s(
    collaboration,
) -> None:
    homes = await homes_with_gavle_s_children(collaboration)
    protected, unprotected = homes["now protected"], homes["never protected"]
    before = len(told(collaboration, protected))
    await leave(collaboration, homes)
    assert told(collaboration, protected) == told(collaboration, unprotected)
    at_departure = told(collaboration, protected)[before:]
    assert len(at_departure) == 2 and all('"free_places": 1' in message for message in at_departure)
    for who in (VASTERAS, UPPSALA, GAVLE):
        assert await read(collaboration, who, protected) == await read(collaboration, who, unprotected)


async def test_an_owner_re_saving_a_home_s_profile_unchanged_cannot_tell_a_child_there_became_protected_and_left(
    collaboration,
) -> None:
    homes = await homes_with_gavle_s_children(collaboration)
    await leave(collaboration, homes)
    protected, unprotected = homes["now protected"], homes["never protected"]
    assert await read(collaboration, VASTERAS, protected) == await read(collaboration, VASTERAS, unprotected)
    assert await re_save_profile(collaboration, protected) == await re_save_profile(
        collaboration, unprotected
    )
    assert told(collaboration, protected) == told(collaboration, unprotected)


async def test_an_owner_cannot_time_a_now_protected_child_s_departure_by_re_saving_its_profile_unchanged(
    collaboration,
) -> None:
    homes = await homes_with_gavle_s_children(collaboration)
    seen: dict[str, list[Any]] = {home_id: [] for home_id in homes.values()}
    for home_id in homes.values():
        seen[home_id] += [
            await re_save_profile(collaboration, home_id),
            await re_save_profile(collaboration, home_id),
        ]
    await leave(collaboration, homes)
    for home_id in homes.values():
        seen[home_id] += [
            await read(collaboration, VASTERAS, home_id),
            await re_save_profile(collaboration, home_id),
        ]
    assert seen[homes["now protected"]] == seen[homes["never protected"]]


async def test_re_saving_a_home_s_profile_unchanged_stores_nothing_and_tells_partners_nothing(
    collaboration,
) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-1", [UPPSALA, GAVLE], capacity=1)
    before, messages = stored(collaboration), len(partner_envelopes(collaboration))
    status, _ = await re_save_profile(collaboration, home_id)
    assert (status, stored(collaboration), len(partner_envelopes(collaboration))) == (200, before, messages)
