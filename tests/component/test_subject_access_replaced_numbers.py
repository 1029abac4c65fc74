"""Asking referrals with a child's number finds the child's referrals made under a number its
placement records replaced, and those made under the number that replaced it (ADR 0018, addendum
"a replaced number finds the child's referrals by either").

A child's number is replaced: a coordination number (samordningsnummer) by a personnummer, or a
wrong number corrected.  The case system says so by naming the new number in a later placement
record of the child's case.  The records go through referrals' real tracking consumer; the part is
asked for over HTTP with a registrar's JWT.
"""

from __future__ import annotations

from typing import Any

from services.kit.domain.case_access import CaseAccess
from tests.component.test_subject_access_placed_children import Natverk, natverk
from tests.support.events import cloud_event, placement_data, placement_started, valid_pin
from tests.support.tokens import bearer

__all__ = ["natverk"]  # the fixture, shared with the placed children's registerutdrag tests
OLD, NEW, NEWEST = valid_pin(71, coordination=True), valid_pin(72), valid_pin(73)
SIBLING = valid_pin(74)
CASE, OTHER_CASE = "0380-RN-1", "0380-RN-2"


def started(pin: str, case_id: str = CASE, municipality: str = "0380") -> dict[str, Any]:
    return placement_started(case_id, f"P-{case_id}", pin=pin, municipality=municipality)


def changed(pin: str, case_id: str = CASE, municipality: str = "0380", **envelope: Any) -> dict[str, Any]:
    data = placement_data(case_id, f"P-{case_id}", pin=pin, municipality=municipality)
    return cloud_event("se.placement.changed.v1", data, **envelope)


async def refer(natverk: Natverk, case_id: str, pin: str, protected: bool = False) -> None:
    """A case worker's referral of the child, made with ``pin``."""
    body = {
        "case_id": case_id,
        "target": "safety_team",
        "child": {"pin": pin, "protected_identity": protected},
        "child_status": "placement_near",
        "case_worker_id": "cw-12",
        "reason": "safety planning with the network",
    }
    made = await natverk.clients["referrals"].post("/api/v1/referrals", json=body, headers=bearer("0380"))
    assert made.status_code == 201, made.text


async def records(natverk: Natverk, *events: dict[str, Any]) -> None:
    for event in events:
        await natverk.record(event, "referrals")


async def part(natverk: Natverk, pin: str) -> dict[str, Any]:
    return await natverk.part("referrals", "0380", {"pin": pin})


def referrals_by_case(part: dict[str, Any]) -> dict[str, list[str]]:
    return {case["case_id"]: [r["origin"] for r in case["referrals"]] for case in part["cases"]}


def found_by(part: dict[str, Any]) -> dict[str, str]:
    return {case["case_id"]: case["found_by"] for case in part["cases"]}


async def test_asking_with_the_new_number_finds_the_referral_made_under_the_number_it_replaced(
    natverk,
) -> None:
    await records(natverk, started(OLD), changed(NEW))  # the start made a referral, with OLD
    asked = await part(natverk, NEW)
    assert referrals_by_case(asked) == {CASE: ["placement"]}
    assert found_by(asked) == {CASE: "current_number"}  # the case's own number: nothing to check


async def test_asking_with_the_replaced_number_finds_the_referrals_made_under_the_new_one_flagged(
    natverk,
) -> None:
    await records(natverk, started(OLD), changed(NEW))
    await refer(natverk, OTHER_CASE, NEW)
    asked = await part(natverk, OLD)
    assert referrals_by_case(asked) == {CASE: ["placement"], OTHER_CASE: ["manual"]}
    # Found through the other number only: a correction could go either way, the registrar checks.
    assert found_by(asked) == {CASE: "replaced_number", OTHER_CASE: "replaced_number"}


async def test_a_referral_made_under_the_old_number_after_the_replacement_is_found_by_the_new_one(
    natverk,
) -> None:
    await records(natverk, started(OLD), changed(NEW))
    await refer(natverk, OTHER_CASE, OLD)  # a case worker still using the old number
    asked = await part(natverk, NEW)
    assert referrals_by_case(asked) == {CASE: ["placement"], OTHER_CASE: ["manual"]}
    assert found_by(asked)[OTHER_CASE] == "replaced_number"


async def test_every_number_of_a_chain_of_replacements_finds_the_childs_every_referral(natverk) -> None:
    await refer(natverk, "0380-RN-0", OLD)
    await records(natverk, started(OLD), changed(NEW), started(NEW, OTHER_CASE), changed(NEWEST, OTHER_CASE))
    for which, pin in enumerate((OLD, NEW, NEWEST)):
        asked = await part(natverk, pin)
        assert referrals_by_case(asked) == {
            "0380-RN-0": ["manual"],
            CASE: ["placement"],
            OTHER_CASE: ["placement"],
        }, f"asked with number {which} of the chain"


async def test_a_repeated_replacement_record_lists_each_referral_once(natverk) -> None:
    again = changed(NEW)
    await records(natverk, started(OLD), again, again, changed(NEW), changed(NEW, event_id="repeat-2"))
    asked = await part(natverk, NEW)
    assert referrals_by_case(asked) == {CASE: ["placement"]}


async def test_a_replacement_in_another_municipality_links_no_numbers_here(natverk) -> None:
    await refer(natverk, CASE, OLD)
    await records(natverk, started(OLD, "1980-RN-1", "1980"), changed(NEW, "1980-RN-1", "1980"))
    assert (await part(natverk, NEW))["cases"] == []


async def test_a_siblings_referral_on_the_childs_case_stays_out_whatever_number_is_asked_with(
    natverk,
) -> None:
    await records(natverk, started(OLD), changed(NEW))
    await refer(natverk, CASE, SIBLING)
    for pin in (OLD, NEW):
        assert referrals_by_case(await part(natverk, pin)) == {CASE: ["placement"]}


async def test_a_protected_referral_under_the_old_number_marks_the_part_asked_with_the_new_one(
    natverk,
) -> None:
    await records(natverk, started(OLD), changed(NEW))
    await refer(natverk, OTHER_CASE, OLD, protected=True)
    assert (await part(natverk, NEW))["protected_identity"] is True


async def test_a_case_found_through_the_replaced_number_is_access_logged_and_the_numbers_never_shown(
    natverk,
) -> None:
    await records(natverk, started(OLD), changed(NEW))
    await refer(natverk, OTHER_CASE, OLD)
    store = natverk.stores["referrals"]
    before = store.recorder.max_notification_id() or 0
    asked = await part(natverk, NEW)
    stored = [
        store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(before + 1, 10_000)
    ]
    logged = [(e.case_id, e.purpose) for e in stored if isinstance(e, CaseAccess.Recorded)]
    assert logged == [(CASE, "registerutdrag"), (OTHER_CASE, "registerutdrag")]
    assert not {OLD, NEW} & {str(value) for value in _values(asked)}


def _values(tree: Any) -> list[Any]:
    """Every leaf of a JSON answer."""
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in _values(value)]
    if isinstance(tree, list):
        return [leaf for value in tree for leaf in _values(value)]
    return [tree]
