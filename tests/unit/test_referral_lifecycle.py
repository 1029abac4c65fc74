from __future__ import annotations

import pytest

from services.referrals.domain.referral import ReasonRequired, Referral, TransitionNotAllowed
from services.referrals.publication import build_publication_table


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


def test_a_child_placed_event_stored_before_it_said_protection_replays_and_publishes_unprotected() -> None:
    referral = new_referral()
    referral.record_placement("P-2", protected_identity=True)
    events = referral.collect_events()
    vars(events[-1]).pop("protected_identity")  # as stored before 2026-12-04
    replayed = None
    for stored in events:
        replayed = stored.mutate(replayed)
    assert (replayed.protected_identity, replayed.placements_recorded) == (False, ["P-2"])
    table = build_publication_table(lambda _: ("0380-7", "0380", "network_centre"))
    [(_, told)] = table.cloud_events(events[-1], 2)
    assert (told.data["placement_id"], told.data["protected_identity"]) == ("P-2", False)


def test_a_protected_placement_protects_the_referral_for_good() -> None:
    referral = new_referral()
    referral.record_placement("P-2", protected_identity=True)
    referral.record_placement("P-3", protected_identity=False)
    placed = [e for e in referral.collect_events() if isinstance(e, Referral.ChildPlaced)]
    assert referral.protected_identity is True
    assert [e.protected_identity for e in placed] == [True, True]


def test_a_referral_marked_protected_after_it_ended_stays_protected_is_marked_once_and_tells_no_one() -> None:
    referral = new_referral()
    referral.revoke()
    referral.mark_protected()
    referral.mark_protected()
    marked = [e for e in referral.collect_events() if isinstance(e, Referral.MarkedProtected)]
    assert (referral.protected_identity, len(marked)) == (True, 1)
    table = build_publication_table(lambda _: ("0380-7", "0380", "network_centre"))
    assert table.cloud_events(marked[0], 3) == []
