"""Aggregate ids derived from what identifies a thing never change: stored stores depend on them."""

from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from services.case_store.domain.timeline import CaseTimeline
from services.kit.domain.idempotency import IdempotencyRecord
from services.network_support.domain.safety_plan import SafetyPlan
from services.referrals.domain.referral import Referral
from services.scheduling.domain.staff_member import StaffMember


def test_ids_are_the_uuid5_of_the_same_text_as_before_the_helper_existed() -> None:
    assert Referral.id_for_placement("0380", "P-1") == uuid5(
        NAMESPACE_URL, "natverk:referral:placement:0380:P-1"
    )
    assert CaseTimeline.legacy_id_for("C-1") == uuid5(NAMESPACE_URL, "natverk:timeline:C-1")  # ADR 0016
    assert SafetyPlan.id_for("0380", "C-1") == uuid5(
        NAMESPACE_URL, "natverk:network_support:safety-plan:0380:C-1"
    )
    assert StaffMember.id_for("0380", "s-1") == uuid5(NAMESPACE_URL, "natverk:staff:0380:s-1")
    assert IdempotencyRecord.id_for("0380", "k") == uuid5(NAMESPACE_URL, "idempotency:0380:k")
