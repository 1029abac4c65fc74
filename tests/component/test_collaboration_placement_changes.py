"""Placement changes move a child between pool homes (issue 16, item 1): a start, a change and an
end in one batch (one unit of work, as the consumer applies a fetched batch) still take one place,
and a change into a partner's shared home by its pool id takes that place."""

from __future__ import annotations

from typing import Any

from tests.component.test_collaboration_http import (
    UPPSALA,
    VASTERAS,
    as_,
    collaboration,
    inbound,
    register,
    service_app,
)
from tests.support.events import cloud_event, placement_data, placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture


def changed(case_id: str, placement_id: str, home_ref: str) -> Any:
    data = placement_data(
        case_id, placement_id, municipality=UPPSALA, placement_type="familjehem", family_home_id=home_ref
    )
    return inbound(cloud_event("se.placement.changed.v1", data))


async def occupied(client, municipality: str, home_id: str) -> int:
    home = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(municipality))
    return home.json()["occupied_places"]


async def test_a_start_and_two_changes_in_one_batch_leave_the_child_in_one_home(collaboration) -> None:
    homes = [await register(collaboration, UPPSALA, ref, []) for ref in ("UPP-A", "UPP-B", "UPP-C")]
    app = service_app(collaboration)
    with app.unit_of_work():
        app.placement_started(
            inbound(placement_started("0380-M1", "PL-1", municipality=UPPSALA, family_home_id="UPP-A"))
        )
        app.placement_changed(changed("0380-M1", "PL-1", "UPP-B"))
        app.placement_changed(changed("0380-M1", "PL-1", "UPP-C"))
    assert [await occupied(collaboration, UPPSALA, home) for home in homes] == [0, 0, 1]


async def test_an_end_and_a_late_start_in_one_batch_take_no_place(collaboration) -> None:
    home = await register(collaboration, UPPSALA, "UPP-A", [])
    app = service_app(collaboration)
    start = placement_started("0380-M2", "PL-2", municipality=UPPSALA, family_home_id="UPP-A")
    with app.unit_of_work():
        app.placement_started(inbound(start))
        app.placement_ended(
            inbound(placement_ended("0380-M2", "PL-2", municipality=UPPSALA, family_home_id="UPP-A"))
        )
        app.placement_started(inbound({**start, "id": "sent-again"}))
    assert await occupied(collaboration, UPPSALA, home) == 0


async def test_a_change_into_a_partners_shared_home_by_its_pool_id_takes_its_place(collaboration) -> None:
    own = await register(collaboration, UPPSALA, "UPP-A", [])
    partners = await register(collaboration, VASTERAS, "VAS-A", [UPPSALA])
    app = service_app(collaboration)
    app.placement_started(
        inbound(placement_started("0380-M3", "PL-3", municipality=UPPSALA, family_home_id="UPP-A"))
    )
    app.placement_changed(changed("0380-M3", "PL-3", partners))
    assert (
        await occupied(collaboration, UPPSALA, own),
        await occupied(collaboration, VASTERAS, partners),
    ) == (0, 1)
