from __future__ import annotations

import pytest

from services.referrals.domain.referral import ReasonRequired, Referral, TransitionNotAllowed


def new_referral(placement_id: str | None = None) -> Referral:
    return Referral(
        case_id="0380-7",
        municipality="0380",
        target="network_centre",
        child_pin="201505152387",
        protected_identity=False,
        child_status="placed",
        case_worker_id="cw-1",
        reason="network strengthening",
        origin="placement" if placement_id else "manual",
        placement_id=placement_id,
    )


def test_a_new_referral_is_received() -> None:
    assert new_referral().status == "received"


def test_a_received_referral_can_be_accepted_then_closed() -> None:
    referral = new_referral()
    referral.accept()
    referral.close()
    assert referral.status == "closed"
    assert [type(e).__name__ for e in referral.collect_events()] == ["Received", "Accepted", "Closed"]


def test_declining_needs_a_reason() -> None:
    with pytest.raises(ReasonRequired):
        new_referral().decline("   ")


def test_a_declined_referral_keeps_its_reason_and_cannot_be_accepted() -> None:
    referral = new_referral()
    referral.decline("no capacity")
    assert referral.decline_reason == "no capacity"
    with pytest.raises(TransitionNotAllowed, match="cannot accept a referral that is declined"):
        referral.accept()


@pytest.mark.parametrize("command", ["close"])
def test_a_received_referral_cannot_be_closed(command: str) -> None:
    with pytest.raises(TransitionNotAllowed):
        getattr(new_referral(), command)()


def test_revoked_is_final() -> None:
    referral = new_referral()
    referral.revoke()
    for command in ("accept", "close", "revoke"):
        with pytest.raises(TransitionNotAllowed):
            getattr(referral, command)()


def test_the_referral_for_a_placement_has_one_id_however_often_it_is_made() -> None:
    assert new_referral("P-9").id == new_referral("P-9").id == Referral.id_for_placement("0380", "P-9")
    assert new_referral().id != new_referral().id
