"""A case's inquiry gate (ADR 0032): every inquiry that opens and the protection that shuts it
change it, so two at once conflict; shut, it lets nothing through again."""

from __future__ import annotations

from services.network_support.domain.inquiry_gate import InquiryGate


def test_an_open_gate_lets_each_inquiry_through_as_a_new_version() -> None:
    gate = InquiryGate(municipality="0380", case_id="C-1")
    assert (gate.let_through("P-1"), gate.let_through("P-2"), gate.version) == (True, True, 3)


def test_a_shut_gate_lets_no_inquiry_through_and_stays_shut() -> None:
    gate = InquiryGate(municipality="0380", case_id="C-1")
    gate.shut()
    gate.shut()
    assert (gate.let_through("P-1"), gate.is_shut, gate.version) == (False, True, 2)
