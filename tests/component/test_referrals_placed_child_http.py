"""A child placed while its case has an open Network Centre referral gets no second one: the open
referral records the placement (read over HTTP with a JWT; placements handed to the inbound use case)."""

from __future__ import annotations

from typing import Any

import httpx

from services.kit.inbound import parse_record
from services.referrals.domain.referral import Referral
from tests.component.test_referrals_http import COORDINATOR, create
from tests.support.events import encode, placement_started, valid_pin
from tests.support.tokens import bearer
from tests.support.worklists import published

CHILD_PLACED = "se.natverk.referral.child_placed.v1"


def place(client: httpx.AsyncClient, case_id: str, placement_id: str, **data: Any) -> None:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    store.refer_placed_child(parse_record(encode(placement_started(case_id, placement_id, **data))))


async def referrals_of(client: httpx.AsyncClient, case_id: str) -> list[dict]:
    response = await client.get("/api/v1/referrals", params={"case_id": case_id}, headers=COORDINATOR)
    return response.json()["items"]


async def test_a_child_placed_while_a_placement_near_referral_is_open_gets_no_second_referral(
    referrals,
) -> None:
    near = (await create(referrals, case_id="0380-NEAR-1", child_status="placement_near")).json()
    place(referrals, "0380-NEAR-1", "P-NEAR-1")
    [only] = await referrals_of(referrals, "0380-NEAR-1")
    assert (only["id"], only["child_status"], only["origin"]) == (near["id"], "placed", "manual")
    [placed] = published(referrals, CHILD_PLACED)
    assert (placed.referral_id, placed.case_id, placed.placement_id) == (
        near["id"],
        "0380-NEAR-1",
        "P-NEAR-1",
    )


async def test_a_second_placement_is_recorded_on_the_open_auto_referral_once_however_often_it_comes(
    referrals,
) -> None:
    place(referrals, "0380-MOVE-1", "P-JOURHEM", placement_type="jourhem")
    for _ in range(3):
        place(referrals, "0380-MOVE-1", "P-FAMILJEHEM", placement_type="familjehem")
    [only] = await referrals_of(referrals, "0380-MOVE-1")
    assert only["placement_id"] == "P-JOURHEM"
    assert [p.placement_id for p in published(referrals, CHILD_PLACED)] == ["P-FAMILJEHEM"]


async def test_two_placements_of_a_child_in_one_consumer_batch_make_one_referral_that_records_the_second(
    referrals,
) -> None:
    """A fetched batch is one unit of work: the second placement must see the referral the first
    made, which is not stored yet (the consumer's batches are how the broker happens to fetch)."""
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    with store.unit_of_work():
        place(referrals, "0380-BATCH-1", "P-JOURHEM", placement_type="jourhem")
        place(referrals, "0380-BATCH-1", "P-FAMILJEHEM", placement_type="familjehem")
    [only] = await referrals_of(referrals, "0380-BATCH-1")
    assert only["placement_id"] == "P-JOURHEM"
    assert [p.placement_id for p in published(referrals, CHILD_PLACED)] == ["P-FAMILJEHEM"]


async def test_an_accepted_referral_records_the_placement_too(referrals) -> None:
    referral_id = (await create(referrals, case_id="0380-ACC-1")).json()["id"]
    await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    place(referrals, "0380-ACC-1", "P-ACC-1")
    [only] = await referrals_of(referrals, "0380-ACC-1")
    assert (only["status"], only["child_status"]) == ("accepted", "placed")


async def test_a_placement_after_the_referral_was_closed_makes_a_new_referral(referrals) -> None:
    referral_id = (await create(referrals, case_id="0380-DONE-1")).json()["id"]
    await referrals.post(f"/api/v1/referrals/{referral_id}/revoke", headers=COORDINATOR)
    place(referrals, "0380-DONE-1", "P-DONE-1")
    assert [r["origin"] for r in await referrals_of(referrals, "0380-DONE-1")] == ["manual", "placement"]
    assert published(referrals, CHILD_PLACED) == []


async def test_an_open_safety_team_referral_does_not_stop_the_network_centre_auto_referral(referrals) -> None:
    await create(referrals, case_id="0380-ST-1", target="safety_team")
    place(referrals, "0380-ST-1", "P-ST-1")
    targets = [r["target"] for r in await referrals_of(referrals, "0380-ST-1")]
    assert targets == ["safety_team", "network_centre"]


async def test_a_placement_where_there_is_no_network_centre_makes_no_referral_and_publishes_nothing(
    referrals,
) -> None:
    """Only the child's case is noted (for a registerutdrag, ADR 0018): nothing a relay publishes."""
    runtime = referrals.app.state.runtime  # type: ignore[attr-defined]
    before = runtime.app.recorder.max_notification_id() or 0
    place(referrals, "1980-NONE-1", "P-NONE-1", municipality="1980")
    vasteras = bearer("1980", ("case_worker",))
    listed = await referrals.get("/api/v1/referrals", params={"case_id": "1980-NONE-1"}, headers=vasteras)
    assert (listed.status_code, listed.json()["items"]) == (200, [])
    stored = runtime.app.recorder.select_notifications(before + 1, 100)
    assert stored  # the case noted (and its protection gate passed): neither is published
    assert [
        o for n in stored for o in runtime.publication.translate(runtime.app.mapper.to_domain_event(n))
    ] == []


async def test_a_case_worker_cannot_open_a_second_network_centre_referral_beside_an_open_auto_referral(
    referrals,
) -> None:
    """The automatic referral holds the case's Network Centre slot as a manual one does: a manual
    referral to the Network Centre is refused while it is open, and may be made once it is closed."""
    place(referrals, "0380-AUTO-1", "P-AUTO-1")
    [auto] = await referrals_of(referrals, "0380-AUTO-1")
    refused = await create(referrals, case_id="0380-AUTO-1", target="network_centre")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "referral_already_open")
    assert [r["id"] for r in await referrals_of(referrals, "0380-AUTO-1")] == [auto["id"]]
    declined = await referrals.post(
        f"/api/v1/referrals/{auto['id']}/decline", json={"reason": "not now"}, headers=COORDINATOR
    )
    assert declined.status_code == 200
    assert (await create(referrals, case_id="0380-AUTO-1", target="network_centre")).status_code == 201


async def test_an_automatic_referral_stored_before_they_held_the_place_also_keeps_a_manual_one_out(
    referrals,
) -> None:
    """Automatic referrals stored before 2026-12-04 hold no place; the rule still finds them open."""
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    store.save(
        Referral(
            case_id="0380-OLD-1", municipality="0380", target="network_centre", child_pin=valid_pin(3),
            protected_identity=False, child_status="placed", case_worker_id="unassigned",
            reason="automatic: placement started", origin="placement", placement_id="P-OLD-1",
        )
    )  # fmt: skip
    refused = await create(referrals, case_id="0380-OLD-1", target="network_centre")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "referral_already_open")
    assert (await create(referrals, case_id="0380-OLD-1", target="safety_team")).status_code == 201


async def test_a_protected_childs_placement_on_an_open_unprotected_referral_protects_the_referral(
    referrals,
) -> None:
    """The case worker left "protected identity" unticked; the case system knows better.  The
    placement's word holds from then on, in the referral and in what scheduling is told, and an
    unprotected placement later never takes it back."""
    near = (await create(referrals, case_id="0380-HIDE-1", child_status="placement_near")).json()
    assert near["protected_identity"] is False
    place(referrals, "0380-HIDE-1", "P-HIDE-1", protected_identity=True)
    place(referrals, "0380-HIDE-1", "P-HIDE-2", protected_identity=False)
    [only] = await referrals_of(referrals, "0380-HIDE-1")
    assert (only["id"], only["protected_identity"]) == (near["id"], True)
    told = [(p.placement_id, p.protected_identity) for p in published(referrals, CHILD_PLACED)]
    assert told == [("P-HIDE-1", True), ("P-HIDE-2", True)]
