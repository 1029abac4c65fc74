"""A child's protected identity is not forgotten by the next referral: once a referral of the
child (or of the case) in a municipality says so, every later one there does, whatever the
case worker ticks (read over HTTP with a JWT).  Another municipality learns nothing of it."""

from __future__ import annotations

import httpx
import pytest

from services.kit.inbound import parse_record
from tests.component.test_referrals_http import COORDINATOR, create
from tests.component.test_referrals_placed_child_http import place
from tests.support.events import cloud_event, encode, placement_data, valid_pin
from tests.support.tokens import bearer

CHILD = {"pin": valid_pin(41), "protected_identity": False}
PROTECTED_CHILD = {**CHILD, "protected_identity": True}


async def declined(referrals: httpx.AsyncClient, referral_id: str) -> None:
    answer = await referrals.post(
        f"/api/v1/referrals/{referral_id}/decline", json={"reason": "not now"}, headers=COORDINATOR
    )
    assert answer.status_code == 200, answer.text


async def test_a_new_referral_of_a_protected_childs_case_is_protected_though_the_box_was_left_unticked(
    referrals,
) -> None:
    first = (await create(referrals, case_id="0380-P-1", child=PROTECTED_CHILD)).json()
    await declined(referrals, first["id"])
    again = await create(referrals, case_id="0380-P-1", child={**CHILD, "pin": valid_pin(42)})
    assert (again.status_code, again.json()["protected_identity"]) == (201, True)


async def test_a_new_case_of_a_child_whose_placement_said_protected_is_protected(referrals) -> None:
    open_one = (
        await create(referrals, case_id="0380-P-2", child=CHILD, child_status="placement_near")
    ).json()
    place(referrals, "0380-P-2", "P-P-2", pin=CHILD["pin"], protected_identity=True)
    await declined(referrals, open_one["id"])
    other_case = await create(referrals, case_id="0380-P-3", child=CHILD, target="safety_team")
    assert (other_case.status_code, other_case.json()["protected_identity"]) == (201, True)


@pytest.mark.usefixtures("every_municipality_offers_every_target")
async def test_another_municipalitys_referral_of_the_same_child_is_not_told(referrals) -> None:
    await create(referrals, case_id="0380-P-4", child=PROTECTED_CHILD)
    vasteras = bearer("1980", ("case_worker",))
    theirs = await create(referrals, headers=vasteras, case_id="1980-P-4", child=CHILD)
    assert (theirs.status_code, theirs.json()["protected_identity"]) == (201, False)


async def test_an_unprotected_childs_next_referral_stays_unprotected(referrals) -> None:
    first = (await create(referrals, case_id="0380-P-5", child=CHILD)).json()
    await declined(referrals, first["id"])
    again = await create(referrals, case_id="0380-P-5", child=CHILD)
    assert (again.status_code, again.json()["protected_identity"]) == (201, False)


async def test_a_referral_of_a_case_whose_later_placement_record_said_protected_is_protected(
    referrals,
) -> None:
    """A case system's change (no referral is made of it) said the child now lives in protected
    housing: the next referral of the case, box unticked, is protected all the same."""
    store = referrals.app.state.runtime.app  # type: ignore[attr-defined]
    record = cloud_event(
        "se.placement.changed.v1",
        placement_data("0380-P-6", "P-P-6", pin=CHILD["pin"], placement_type="skyddat_boende"),
    )
    store.note_placement_record(parse_record(encode(record)))
    new = await create(referrals, case_id="0380-P-6", child=CHILD, target="safety_team")
    assert (new.status_code, new.json()["protected_identity"]) == (201, True)
