"""A case's move-in gate (ADR 0032): every move-in into a pool home and the protection that marks
it change it, so two at once conflict; protected, every later move-in is a protected one."""

from __future__ import annotations

import uuid

from services.collaboration.domain.move_in_gate import MoveInGate


def test_each_move_in_is_a_new_version_of_the_cases_gate() -> None:
    gate = MoveInGate(municipality="0380", case_id="C-1")
    home = uuid.uuid4()
    assert (gate.move_in("P-1", home), gate.move_in("P-2", home), gate.version) == (False, False, 3)


def test_a_protected_gate_moves_every_later_child_in_protected_and_stays_protected() -> None:
    gate = MoveInGate(municipality="0380", case_id="C-1")
    gate.protect()
    gate.protect()
    assert (gate.move_in("P-1", uuid.uuid4()), gate.is_protected, gate.version) == (True, True, 3)


def test_the_same_case_id_in_two_municipalities_is_two_gates() -> None:
    assert MoveInGate.id_for("0380", "C-1") != MoveInGate.id_for("1980", "C-1")
