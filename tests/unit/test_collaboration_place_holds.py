"""Places held for accepted offers, and whether a home fits a request (ADR 0022), in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.home_profile import OfferDoesNotFit
from services.collaboration.domain.place_holds import NoPlaceToHold, ends_care, outlasts

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def home(capacity: int = 1, age_min: int = 0, age_max: int = 12) -> FamilyHome:
    return FamilyHome.register("1980", "FH-1", "recruited", capacity, age_min, age_max, ("reinforced",))


def test_a_held_place_is_not_free_and_cannot_be_held_twice() -> None:
    pooled = home()
    pooled.hold("R-1", "0380", "0380-C-1", NOW + timedelta(days=14))
    assert pooled.free_places == 0 and not pooled.can_be_offered()
    with pytest.raises(NoPlaceToHold):
        pooled.hold("R-2", "0380", "0380-C-2", NOW + timedelta(days=14))


def test_another_case_s_placement_leaves_the_hold_in_place() -> None:
    pooled = home(capacity=2)
    pooled.hold("R-1", "0380", "0380-C-1", NOW + timedelta(days=14))
    assert not pooled.release_hold_of("0380", "0380-C-9")
    assert pooled.release_hold_of("0380", "0380-C-1") and pooled.holds == {}


def test_a_hold_lapses_when_its_time_is_up_and_not_before() -> None:
    pooled = home()
    pooled.hold("R-1", "0380", "0380-C-1", NOW)
    assert not pooled.lapse_holds(NOW - timedelta(seconds=1))
    assert pooled.lapse_holds(NOW) and pooled.free_places == 1


@pytest.mark.parametrize(("band", "fits"), [("0-5", True), ("6-12", True), ("13-17", False)])
def test_a_home_fits_an_age_band_its_ages_meet(band: str, fits: bool) -> None:
    if fits:
        home().check_fits(band, "familjehem", ())
    else:
        with pytest.raises(OfferDoesNotFit):
            home().check_fits(band, "familjehem", ())


@pytest.mark.parametrize(
    ("placement_type", "needs"),
    [("jourhem", ()), ("behandlingsfamilj", ()), ("familjehem", ("tfco",))],
)
def test_a_home_without_the_specialisation_asked_for_does_not_fit(
    placement_type: str, needs: tuple[str, ...]
) -> None:
    with pytest.raises(OfferDoesNotFit):
        home().check_fits("6-12", placement_type, needs)


def test_a_reinforced_home_fits_a_reinforced_placement_with_words_for_needs() -> None:
    home().check_fits("6-12", "forstarkt_familjehem", ("reinforced", "animals_ok"))


def test_a_hold_past_its_time_lets_no_placement_in_before_the_sweep_records_it() -> None:
    pooled = home()
    pooled.hold("R-1", "0380", "0380-C-1", NOW)
    assert pooled.is_held_for("0380", "0380-C-1", NOW - timedelta(seconds=1))
    assert not pooled.is_held_for("0380", "0380-C-1", NOW)
    assert not pooled.is_held_for("2180", "0380-C-1", NOW - timedelta(days=1))


def test_a_place_is_held_for_its_case_not_for_another_case_of_the_placer() -> None:
    pooled = home()
    pooled.hold("R-1", "0380", "0380-C-1", NOW)
    assert not pooled.is_held_for("0380", "0380-C-2", NOW - timedelta(days=1))


@pytest.mark.parametrize(
    ("asked_for", "placed_as", "kept"),
    [("familjehem", "jourhem", True), ("jourhem", "jourhem", False), ("familjehem", "familjehem", False)],
)
def test_a_place_held_for_a_lasting_home_outlasts_only_a_wait_in_an_emergency_home(
    asked_for: str, placed_as: str, kept: bool
) -> None:
    pooled = home()
    pooled.hold("R-1", "0380", "0380-C-1", NOW)
    keeping = ["R-1"] if outlasts(asked_for, placed_as) else []
    assert pooled.release_hold_of("0380", "0380-C-1", "placed_elsewhere", keeping) is not kept
    assert pooled.free_places == (0 if kept else 1)


@pytest.mark.parametrize(
    ("end_reason", "over"),
    [
        ("home_return", True),
        ("age_out", True),
        ("re_placement", False),
        ("breakdown", False),
        ("other", False),
    ],
)
def test_only_an_end_that_says_the_childs_care_is_over_ends_the_wait_for_a_held_place(
    end_reason: str, over: bool
) -> None:
    assert ends_care(end_reason) is over


def test_a_place_is_given_back_only_while_it_is_held() -> None:
    pooled = home()
    pooled.hold("R-1", "0380", "0380-C-1", NOW)
    assert not pooled.give_back("R-1", NOW) and not pooled.give_back("R-2", NOW - timedelta(days=1))
    assert pooled.give_back("R-1", NOW - timedelta(days=1)) and pooled.free_places == 1


def test_a_resident_said_protected_after_moving_in_is_protected_once() -> None:
    pooled = home(capacity=2)
    pooled.occupy("P-1", "0380-C-1", "0380", protected=False)
    pooled.occupy("P-2", "0380-C-2", "0380", protected=False)
    assert not pooled.protect_residents_of("1980", "0380-C-1")  # another municipality's case
    assert pooled.protect_residents_of("0380", "0380-C-1") and pooled.hosts_protected_child_of("0380")
    assert not pooled.protect_residents_of("0380", "0380-C-1")
    assert pooled.residents[("0380", "P-2")][2] is False


def test_the_end_of_a_wait_frees_only_the_places_that_wait_kept() -> None:
    pooled = home(capacity=2)
    pooled.hold("R-1", "0380", "0380-C-1", NOW + timedelta(days=14))
    pooled.hold("R-2", "0380", "0380-C-1", NOW + timedelta(days=14))
    assert pooled.keep_hold("R-1", "0380", "P-1") and not pooled.keep_hold("R-1", "0380", "P-1")
    assert not pooled.release_kept_by("0380", "P-0", why="care_ended")
    assert not pooled.release_kept_by("1980", "P-1", why="care_ended")  # another placer's P-1
    assert pooled.release_kept_by("0380", "P-1", why="care_ended") and list(pooled.holds) == ["R-2"]
    assert pooled.kept_by == {}


def test_a_home_stored_before_holds_were_kept_by_a_wait_loads_with_none_kept() -> None:
    pooled = home()
    pooled.hold("R-1", "0380", "0380-C-1", NOW + timedelta(days=14))
    state = {k: v for k, v in vars(pooled).items() if k != "_kept_by"}  # an older snapshot's state
    restored = FamilyHome.__new__(FamilyHome)
    restored.__dict__.update(state)
    assert restored.kept_by == {} and not restored.release_kept_by("0380", "P-1", why="care_ended")
    assert restored.keep_hold("R-1", "0380", "P-1") and restored.kept_by == {"R-1": ("0380", "P-1")}
