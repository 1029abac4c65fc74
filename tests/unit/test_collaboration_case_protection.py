"""A case's protection in collaboration (ADR 0032): once said, kept; a barred slot holds no request."""

from __future__ import annotations

import uuid

import pytest

from services.collaboration.domain.open_request import OpenRequest, ProtectedChild
from services.kit.domain.case_protection import CaseProtection


def test_a_protection_is_widened_by_what_a_later_record_adds_and_never_narrowed() -> None:
    protection = CaseProtection(municipality="0380", case_id="C-1", identity=False, housing=True)
    protection.note(identity=False, housing=False)
    protection.note(identity=True, housing=False)
    protection.note(identity=True, housing=True)
    events = protection.collect_events()
    assert [type(e).__name__ for e in events] == ["Noted", "Widened"]
    assert (protection.identity, protection.housing) == (True, True)


def test_the_same_case_id_in_two_municipalities_is_two_protections() -> None:
    assert CaseProtection.id_for("0380", "C-1") != CaseProtection.id_for("1980", "C-1")


def test_a_barred_slot_is_held_by_no_request_and_stays_barred() -> None:
    slot = OpenRequest("0380", "C-1", "1980")
    slot.bar()
    slot.bar()
    with pytest.raises(ProtectedChild):
        slot.hold(uuid.uuid4())
    assert [type(e).__name__ for e in slot.collect_events()] == ["Opened", "Barred"]


def test_barring_a_held_slot_still_lets_its_request_release_it() -> None:
    request_id = uuid.uuid4()
    slot = OpenRequest("0380", "C-1", "1980")
    slot.hold(request_id)
    slot.bar()
    slot.release(request_id)
    assert (slot.holder, slot.barred) == (None, True)
