"""A home's places as partners were told of them (ADR 0009, addendum "partners read what they were
told"), in memory: a protected child's move in or out, or a resident's protection, changes nothing
in partners' view; other changes set it anew, leaving out only the places partners never knew taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.collaboration.domain.family_home import FamilyHome

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
UPPSALA, VASTERAS, GAVLE = "0380", "1980", "2180"


def home(capacity: int = 3) -> FamilyHome:
    pooled = FamilyHome.register(VASTERAS, "VAS-FH-1", "recruited", capacity, 0, 12, (), ())
    pooled.share_with((UPPSALA, GAVLE))
    return pooled


def replayed(pooled: FamilyHome) -> FamilyHome:
    """The home as the publication table and the reads load it: from its events alone."""
    aggregate = None
    for event in list(pooled.pending_events):  # not collected: a test may replay it again later
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, FamilyHome)
    return aggregate


def test_a_protected_child_s_move_in_and_out_leave_the_free_places_as_told_to_partners_and_the_owner() -> (
    None
):
    """The owner, another municipality than the child's, reads the home as partners do (ADR 0009)."""
    pooled = home()
    pooled.occupy("P-1", "0380-C-1", UPPSALA, True)
    assert (pooled.free_places, pooled.partner_free_places, pooled.occupied_places) == (3, 3, 0)
    pooled.occupy("P-2", "0380-C-2", UPPSALA, False)
    assert (pooled.free_places, pooled.partner_free_places, pooled.occupied_places) == (2, 2, 1)
    pooled.free("P-1", UPPSALA)
    assert (pooled.free_places, pooled.partner_free_places, pooled.occupied_places) == (2, 2, 1)


def test_the_owner_s_own_protected_child_is_a_place_taken_for_the_owner_alone() -> None:
    pooled = home()
    pooled.occupy("P-1", "1980-C-1", VASTERAS, True)
    assert (pooled.free_places, pooled.partner_free_places, pooled.occupied_places) == (2, 3, 1)
    pooled.free("P-1", VASTERAS)
    assert (pooled.free_places, pooled.partner_free_places, replayed(pooled).occupied_places) == (3, 3, 0)


def test_a_resident_who_became_protected_keeps_its_place_for_partners_while_it_lives_there() -> None:
    pooled = home()
    pooled.occupy("P-1", "0380-C-1", UPPSALA, False)
    pooled.protect_residents_of(UPPSALA, "0380-C-1")
    assert (pooled.free_places, pooled.partner_free_places, pooled.occupied_places) == (2, 2, 1)


def test_a_resident_who_became_protected_frees_its_place_for_partners_and_the_owner_as_it_leaves() -> None:
    """Partners were told of it at its move-in: its departure is told as any other (ADR 0009, second
    addendum, decision 4); keeping the place, or freeing it later, would tell them of its protection."""
    pooled = home()
    pooled.occupy("P-1", "0380-C-1", UPPSALA, False)
    pooled.protect_residents_of(UPPSALA, "0380-C-1")
    pooled.free("P-1", UPPSALA)
    assert (pooled.free_places, pooled.partner_free_places, pooled.occupied_places) == (3, 3, 0)
    assert (replayed(pooled).partner_free_places, replayed(pooled).occupied_places) == (3, 0)


def test_a_protected_case_moving_into_its_held_place_keeps_the_place_taken_for_partners() -> None:
    """As such a move was stored before it left the hold in place: its hold released, then occupied."""
    pooled = home(capacity=1)
    pooled.hold("R-1", UPPSALA, "0380-C-1", NOW + timedelta(days=14))
    pooled.release_hold_of(UPPSALA, "0380-C-1")
    pooled.occupy("P-1", "0380-C-1", UPPSALA, True)
    assert pooled.partner_free_places == 0
    pooled.change_profile(2, 0, 12, (), ())
    assert pooled.partner_free_places == 1 and replayed(pooled).partner_free_places == 1
    pooled.free("P-1", UPPSALA)  # counted (partners were told the hold took it): told as it leaves
    assert pooled.partner_free_places == 2 and replayed(pooled).partner_free_places == 2


def test_an_accepted_offer_holds_a_place_partners_read_as_free_though_a_protected_child_took_it() -> None:
    pooled = home(capacity=1)
    pooled.occupy("P-1", "1980-C-1", VASTERAS, True)
    assert not pooled.can_be_offered() and pooled.offered_to_partners()
    pooled.hold("R-1", UPPSALA, "0380-C-1", NOW + timedelta(days=14))
    assert (pooled.free_places, pooled.partner_free_places, pooled.offered_to_partners()) == (0, 0, False)


def test_a_profile_saved_unchanged_is_no_change_of_the_home() -> None:
    """Nothing to store or tell: else the owner could make a change, and a message, at will."""
    pooled = home()
    stored = len(pooled.pending_events)
    pooled.change_profile(3, 0, 12, (), ())
    assert len(pooled.pending_events) == stored


def test_a_protected_case_s_hold_beside_its_child_is_the_hold_s_place_to_the_owner_as_to_partners() -> None:
    pooled = home(capacity=2)
    pooled.hold("R-1", UPPSALA, "0380-C-1", NOW + timedelta(days=14))
    pooled.occupy("P-1", "0380-C-1", UPPSALA, True)  # its hold is not released (placements.py)
    assert (pooled.free_places, pooled.partner_free_places, pooled.occupied_places) == (1, 1, 0)
    pooled.free("P-1", UPPSALA)  # leaving before the hold's time: the hold keeps its place for both
    assert (pooled.free_places, pooled.partner_free_places, replayed(pooled).free_places) == (1, 1, 1)
    pooled.lapse_holds(NOW + timedelta(days=15))
    assert (pooled.free_places, pooled.partner_free_places, replayed(pooled).partner_free_places) == (2, 2, 2)


def test_a_placer_s_own_record_counts_a_partner_home_s_free_places_as_partners_read_them() -> None:
    pooled = home()
    pooled.occupy("P-1", "1980-C-1", VASTERAS, True)
    pooled.occupy("P-2", "0380-C-2", UPPSALA, False)
    assert (pooled.free_places_known_to(VASTERAS), pooled.free_places_known_to(UPPSALA)) == (1, 2)
