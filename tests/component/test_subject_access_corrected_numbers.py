"""A registerutdrag of a child whose number a case system named for another child's case by
mistake, then corrected (ADR 0018, second addendum): the case stays in the bundle, for the
registrar to decide, but flagged for review before release, and never with the other number.

The placement records go through each service's real tracking consumer; the bundle is gathered as
``natverk subject-access`` gathers it, every part over HTTP with a registrar's JWT.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from services.ops import subject_access as access
from services.ops.subject_access_page import render_page
from tests.component.test_subject_access_placed_children import Natverk, natverk
from tests.support.events import cloud_event, placement_data, placement_started, valid_pin
from tests.support.tokens import bearer

__all__ = ["natverk"]  # the fixture, shared with the placed children's registerutdrag tests
MISTAKEN, RIGHT = valid_pin(61), valid_pin(62)  # child A's number, sent for child B's case; child B's
CASE = "0380-SA-W"
NOTE = "The latest record of this case names another child: check before release."


def started(pin: str) -> dict[str, Any]:
    return placement_started(CASE, "P-W", pin=pin, placement_type="familjehem")


def changed(pin: str) -> dict[str, Any]:
    data = placement_data(CASE, "P-W", pin=pin, placement_type="familjehem")
    return cloud_event("se.placement.changed.v1", data)


async def registerutdrag(natverk: Natverk, pin: str) -> dict[str, Any]:
    """The bundle of the child with ``pin``, as ``natverk subject-access`` gathers it."""
    headers = access.registrar_headers(natverk.settings, "0380")
    return await asyncio.to_thread(access.gather, natverk.settings, pin, headers)


def found_by(bundle: dict[str, Any]) -> dict[str, str]:
    return {case["case_id"]: case["found_by"] for case in bundle["parts"]["referrals"]["cases"]}


async def test_a_case_found_only_by_a_number_its_later_records_replaced_is_kept_and_flagged_for_review(
    natverk,
) -> None:
    await natverk.record(started(MISTAKEN))
    await natverk.record(changed(RIGHT))
    bundle = await registerutdrag(natverk, MISTAKEN)
    assert bundle["case_ids"] == [CASE]  # not dropped: a correction could go either way
    assert found_by(bundle) == {CASE: "replaced_number"}
    assert bundle["check_before_release"] == [CASE]


async def test_the_child_the_latest_record_names_finds_the_case_by_its_current_number_unflagged(
    natverk,
) -> None:
    await natverk.record(started(MISTAKEN))
    await natverk.record(changed(RIGHT))
    bundle = await registerutdrag(natverk, RIGHT)
    assert (found_by(bundle), bundle["check_before_release"]) == ({CASE: "current_number"}, [])


async def test_a_correction_undone_makes_the_first_number_the_cases_current_one_again(natverk) -> None:
    for record in (started(MISTAKEN), changed(RIGHT), changed(MISTAKEN)):
        await natverk.record(record, "referrals")
    part = await natverk.part("referrals", "0380", {"pin": MISTAKEN})
    other = await natverk.part("referrals", "0380", {"pin": RIGHT})
    assert [case["found_by"] for case in (*part["cases"], *other["cases"])] == [
        "current_number",
        "replaced_number",
    ]


async def test_the_printed_page_tells_the_registrar_to_check_the_case_in_every_part_and_names_no_number(
    natverk,
) -> None:
    await natverk.record(started(MISTAKEN))
    await natverk.record(changed(RIGHT))
    bundle = await registerutdrag(natverk, MISTAKEN)
    page = render_page(bundle)
    holding = [
        name for name, part in bundle["parts"].items() if CASE in (c["case_id"] for c in part["cases"])
    ]
    assert f"Check case {CASE} before release" in page.split("</header>")[0]
    assert page.count(NOTE) == len(holding)  # at the case, in each part that holds it
    assert MISTAKEN not in page + json.dumps(bundle) and RIGHT not in page + json.dumps(bundle)


async def test_a_referral_made_with_a_number_the_cases_placement_records_do_not_name_is_flagged(
    natverk,
) -> None:
    """A case worker's referral with the wrong child's number finds the case the same way."""
    await natverk.record(started(RIGHT), "referrals")
    body = {
        "case_id": CASE,
        "target": "safety_team",
        "child": {"pin": MISTAKEN, "protected_identity": False},
        "child_status": "placed",
        "case_worker_id": "cw-12",
        "reason": "safety planning with the network",
    }
    made = await natverk.clients["referrals"].post("/api/v1/referrals", json=body, headers=bearer("0380"))
    assert made.status_code == 201, made.text
    part = await natverk.part("referrals", "0380", {"pin": MISTAKEN})
    assert [case["found_by"] for case in part["cases"]] == ["replaced_number"]


async def test_a_case_only_referrals_name_the_child_for_says_it_was_found_by_its_referrals(natverk) -> None:
    body = {
        "case_id": "0380-SA-R",
        "target": "safety_team",
        "child": {"pin": RIGHT, "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-12",
        "reason": "safety planning with the network",
    }
    made = await natverk.clients["referrals"].post("/api/v1/referrals", json=body, headers=bearer("0380"))
    assert made.status_code == 201, made.text
    bundle = await registerutdrag(natverk, RIGHT)
    assert (found_by(bundle), bundle["check_before_release"]) == ({"0380-SA-R": "referral"}, [])
