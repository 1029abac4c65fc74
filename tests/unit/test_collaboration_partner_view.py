"""A home's places as partners were told of them (ADR 0009, addendum "partners read what they were
told"), in memory: a protected child's move in or out, or a resident's protection, changes nothing
in partners' view; other changes set it anew, leaving out only the places partners never knew taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.collaboration.domain.family_home import FamilyHome

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
UPPSALA, VASTERAS = "0380", "1980"


def home(capacity: int = 3) -> FamilyHome:
    pooled = FamilyHome.register(VASTERAS, "VAS-FH-1", "recruited", capacity, 0, 12, (), ())
    pooled.share_with((UPPSALA,))
    return pooled


def replayed(pooled: FamilyHome) -> FamilyHome:
    """The home as the publication table and the reads load it: from its events alone."""
    aggregate = None
    for event in pooled.collect_events():
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, FamilyHome)
    return aggregate


def test_a_protected_child_s_move_in_and_out_leave_partners_free_places_as_told() -> None:
    pooled = home()
    pooled.occupy("P-1", "0380-C-1", UPPSALA, True)
    assert (pooled.free_places, pooled.partner_free_places) == (2, 3)
    pooled.occupy("P-2", "0380-C-2", UPPSALA, False)
    assert (pooled.free_places, pooled.partner_free_places) == (1, 2)
    pooled.free("P-1", UPPSALA)
    assert (pooled.free_places, pooled.partner_free_places) == (2, 2)


def test_a_resident_who_became_protected_keeps_its_place_for_partners_until_a_change_they_are_told() -> None:
    pooled = home()
    pooled.occupy("P-1", "0380-C-1", UPPSALA, False)
    pooled.protect_residents_of(UPPSALA, "0380-C-1")
    pooled.free("P-1", UPPSALA)
    assert (pooled.free_places, pooled.partner_free_places) == (3, 2)
    pooled.set_available(False)
    assert pooled.partner_free_places == 3 and replayed(pooled).partner_free_places == 3


def test_a_protected_case_moving_into_its_held_place_keeps_the_place_taken_for_partners() -> None:
    pooled = home(capacity=1)
    pooled.hold("R-1", UPPSALA, "0380-C-1", NOW + timedelta(days=14))
    pooled.release_hold_of(UPPSALA, "0380-C-1")
    pooled.occupy("P-1", "0380-C-1", UPPSALA, True)
    assert pooled.partner_free_places == 0
    pooled.change_profile(2, 0, 12, (), ())
    assert pooled.partner_free_places == 1 and replayed(pooled).partner_free_places == 1


def test_an_accepted_offer_holds_a_place_partners_read_as_free_though_a_protected_child_took_it() -> None:
    pooled = home(capacity=1)
    pooled.occupy("P-1", "1980-C-1", VASTERAS, True)
    assert not pooled.can_be_offered() and pooled.offered_to_partners()
    pooled.hold("R-1", UPPSALA, "0380-C-1", NOW + timedelta(days=14))
    assert (pooled.free_places, pooled.partner_free_places, pooled.offered_to_partners()) == (0, 0, False)
