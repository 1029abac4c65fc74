"""Which numbers a registerutdrag links, and what a linked number may bring in (ADR 0018, third
addendum "only one placement's numbers are linked; nothing protected comes in through a link").

Two numbers are the child's old and new only when records of one placement named both (a
renumbering, or a mistake corrected: nothing stored tells which).  Siblings placed under one case
id have a placement each.  Through a linked number, nothing protection was said of comes in, and a
case carrying another number's referral is flagged for the registrar.  The records go through the
real tracking consumer; parts are asked over HTTP, the bundle as ``natverk subject-access`` gathers it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from services.ops import subject_access as access
from services.referrals.domain.placed_case import PlacedCase
from tests.component.test_subject_access_placed_children import Natverk, natverk
from tests.component.test_subject_access_replaced_numbers import (
    changed,
    found_by,
    part,
    records,
    refer,
    started,
)
from tests.support.events import placement_started, valid_pin
from tests.support.tokens import bearer

__all__ = ["natverk"]  # the fixture, shared with the placed children's registerutdrag tests
CHILD, SIBLING, THIRD = valid_pin(81), valid_pin(82), valid_pin(83)


async def bundle_of(natverk: Natverk, pin: str) -> dict[str, Any]:
    headers = access.registrar_headers(natverk.settings, "0380")
    return await asyncio.to_thread(access.gather, natverk.settings, pin, headers)


async def mistake_corrected(natverk: Natverk, case_id: str = "0380-C") -> None:
    """SIBLING's number sent on one record of CHILD's placement, then corrected."""
    await records(natverk, started(CHILD, case_id), changed(SIBLING, case_id), changed(CHILD, case_id))


async def test_siblings_placed_under_one_case_id_do_not_bring_each_others_referrals_or_cases(
    natverk: Natverk,
) -> None:
    await records(
        natverk,
        placement_started("0380-S", "P-SIB", pin=SIBLING),  # its automatic referral: SIBLING's
        placement_started("0380-S", "P-CHILD", pin=CHILD),
        placement_started("0380-S2", "P-SIB-2", pin=SIBLING),  # SIBLING's own other case
    )
    await refer(natverk, "0380-S", SIBLING)
    asked = await part(natverk, CHILD)
    assert [(case["case_id"], case["referrals"]) for case in asked["cases"]] == [("0380-S", [])]


async def test_a_referral_only_case_carrying_a_linked_numbers_referral_is_flagged_before_release(
    natverk: Natverk,
) -> None:
    await mistake_corrected(natverk)
    await refer(natverk, "0380-L", CHILD)
    body = {
        "case_id": "0380-L",  # no placement record names anyone for it
        "target": "network_centre",  # the case's safety team slot is CHILD's
        "child": {"pin": SIBLING, "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-12",
        "reason": "the sibling's own referral",
    }
    made = await natverk.clients["referrals"].post("/api/v1/referrals", json=body, headers=bearer("0380"))
    assert made.status_code == 201, made.text
    assert found_by(await part(natverk, CHILD))["0380-L"] == "replaced_number"
    assert "0380-L" in (await bundle_of(natverk, CHILD))["check_before_release"]


async def test_a_protected_childs_case_stays_out_of_another_childs_registerutdrag_after_a_corrected_mistake(
    natverk: Natverk,
) -> None:
    protected = {"protected_identity": True, "placement_type": "skyddat_boende"}
    await natverk.record(placement_started("0380-P", "P-P", pin=SIBLING, **protected))
    await mistake_corrected(natverk)
    bundle = await bundle_of(natverk, CHILD)
    assert (bundle["case_ids"], bundle["protected_identity"]) == (["0380-C"], False)


async def test_a_protected_referral_of_a_linked_number_stays_out_of_the_childs_part(natverk: Natverk) -> None:
    await mistake_corrected(natverk)
    await refer(natverk, "0380-Q", SIBLING, protected=True)
    asked = await part(natverk, CHILD)
    assert ([case["case_id"] for case in asked["cases"]], asked["protected_identity"]) == (["0380-C"], False)


async def test_a_corrected_mistake_reaches_no_third_childs_case_through_siblings_placed_together(
    natverk: Natverk,
) -> None:
    await mistake_corrected(natverk, "0380-A")
    await records(
        natverk,
        placement_started("0380-ZY", "P-Z", pin=SIBLING),  # SIBLING and THIRD under one case id
        placement_started("0380-ZY", "P-Y", pin=THIRD),
        placement_started("0380-Y2", "P-Y2", pin=THIRD),  # THIRD's own other case
    )
    assert "0380-Y2" not in found_by(await part(natverk, CHILD))


async def test_a_bad_number_asked_with_is_not_echoed(natverk: Natverk) -> None:
    registrar = bearer("0380", ("registrar",), subject="registrar-9")
    bad = CHILD[:-1] + str((int(CHILD[-1]) + 1) % 10)
    client = natverk.clients["referrals"]
    answered = await client.post("/api/v1/subject-access", json={"pin": bad}, headers=registrar)
    assert answered.status_code == 422 and bad[2:] not in answered.text


async def test_a_case_renumbered_thousands_of_times_costs_an_unrelated_childs_registerutdrag_nothing(
    natverk: Natverk,
) -> None:
    """A faulty case system named 2,000 numbers for one case (stored at once: fed record by record
    it takes minutes).  Asking for another child looks its own numbers up, never builds the
    municipality's every link (which cost a square of the numbers, in time and memory)."""
    faulty = PlacedCase(municipality="0380", case_id="0380-F", child_pin=valid_pin(5000))
    for seed in range(5001, 7000):
        faulty.name(valid_pin(seed))
    natverk.stores["referrals"].save(faulty)
    await records(natverk, started(CHILD, "0380-C"))
    await part(natverk, CHILD)  # the indexes caught up
    asked_at = time.perf_counter()
    asked = await part(natverk, CHILD)
    took = time.perf_counter() - asked_at
    assert [case["case_id"] for case in asked["cases"]] == ["0380-C"]
    assert took < 0.1, f"an unrelated child's part took {took:.2f}s"
