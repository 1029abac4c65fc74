"""A resident of a pool home is the pair (placing municipality, placement id) (ADR 0022, addendum "a
resident is its placer's"), and a home stored before its ``Freed`` and ``ResidentProtected`` events
named the placer replays, and is told, as the one resident of that placement id."""

from __future__ import annotations

from typing import Any

from contracts.topics import COLLABORATION
from services.collaboration.application import CollaborationApplication
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.publication import build_publication_table

UPPSALA, VASTERAS, GAVLE = "0380", "1980", "2180"


def home(capacity: int = 2) -> FamilyHome:
    return FamilyHome.register(VASTERAS, "VAS-FH-1", "recruited", capacity, 0, 12, (), ())


def as_stored_before(events: list[Any]) -> list[Any]:
    """The events after a stored round trip, those that name a resident naming it by id alone."""
    mapper = CollaborationApplication().mapper
    for event in events:
        if not isinstance(event, FamilyHome.Occupied):
            vars(event).pop("placing_municipality", None)
    return [mapper.to_domain_event(mapper.to_stored_event(e)) for e in events]


def replayed(events: list[Any]) -> FamilyHome:
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, FamilyHome)
    return aggregate


def test_another_municipality_s_placement_with_the_same_id_is_another_resident() -> None:
    pooled = home()
    assert pooled.occupy("P-1", "0380-C-1", UPPSALA, False)
    assert pooled.occupy("P-1", "2180-C-1", GAVLE, False)
    assert pooled.free_places == 0
    assert not pooled.free("P-1", VASTERAS)  # no placement of the owner's lives here
    assert pooled.free("P-1", GAVLE) and not pooled.free("P-1", GAVLE)
    assert pooled.houses(UPPSALA, "P-1") and pooled.has_housed(GAVLE, "P-1")
    assert pooled.has_ended_here(GAVLE, "P-1") and not pooled.has_ended_here(UPPSALA, "P-1")


def test_protecting_one_municipality_s_case_marks_only_its_resident_of_a_shared_placement_id() -> None:
    pooled = home()
    pooled.occupy("P-1", "0380-C-1", UPPSALA, False)
    pooled.occupy("P-1", "2180-C-1", GAVLE, False)
    assert pooled.protect_residents_of(GAVLE, "2180-C-1")
    assert [pooled.residents[(m, "P-1")][2] for m in (UPPSALA, GAVLE)] == [False, True]
    assert pooled.hosts_protected_child_of(GAVLE) and not pooled.hosts_protected_child_of(UPPSALA)
    pooled.free("P-1", GAVLE)
    assert not pooled.hosts_protected_child_of(GAVLE)


def test_a_home_stored_before_residents_named_their_placer_replays_to_the_same_residents() -> None:
    pooled = home(capacity=3)
    pooled.occupy("P-1", "0380-C-1", UPPSALA, False)
    pooled.occupy("P-2", "0380-C-2", UPPSALA, False)
    pooled.protect_residents_of(UPPSALA, "0380-C-1")
    pooled.free("P-2", UPPSALA, why="moved")
    again = replayed(as_stored_before(pooled.collect_events()))
    assert again.residents == {(UPPSALA, "P-1"): ("0380-C-1", UPPSALA, True)}
    assert again.left == {(UPPSALA, "P-2"): "moved"}


def test_a_freed_stored_before_it_named_its_placer_is_told_as_the_one_resident_of_that_id() -> None:
    pooled = home()
    pooled.occupy("P-1", "0380-C-1", UPPSALA, False)
    pooled.free("P-1", UPPSALA)
    stored = as_stored_before(pooled.collect_events())
    table = build_publication_table(lambda _, version: replayed(stored[:version]), lambda _: None)
    [told] = [out.data for out in table.translate(stored[-1]) if out.topic == COLLABORATION]
    assert (told.case_id, told.municipality, told.change, told.free_places) == (
        "0380-C-1",
        UPPSALA,
        "freed",
        2,
    )
