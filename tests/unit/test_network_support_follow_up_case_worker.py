"""The case worker responsible for a placement's follow-up clocks: named on opening, moved by a change,
and follow-ups stored before placement events named one still load."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

from services.network_support.application import NetworkSupportApplication
from services.network_support.domain.placement_follow_up import PlacementFollowUp

START = date(2026, 11, 2)


def follow_up(case_worker_id: str | None = None) -> PlacementFollowUp:
    return PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="familjehem",
        started_on=START,
        school_change=True,
        case_worker_id=case_worker_id,
    )


def test_a_change_naming_another_case_worker_records_it_once_and_none_or_the_same_one_nothing() -> None:
    placed = follow_up("hl-7")
    placed.collect_events()
    for named in (None, "hl-7", "hl-9", "hl-9"):
        placed.assign_case_worker(named)
    [assigned] = placed.collect_events()
    assert isinstance(assigned, PlacementFollowUp.CaseWorkerAssigned)
    assert placed.case_worker_id == assigned.case_worker_id == "hl-9"


def test_an_ended_placement_gets_no_new_case_worker() -> None:
    placed = follow_up("hl-7")
    placed.end(START)
    placed.collect_events()
    placed.assign_case_worker("hl-9")
    assert (placed.collect_events(), placed.case_worker_id) == ([], "hl-7")


def test_a_follow_up_stored_before_placements_named_a_case_worker_still_loads() -> None:
    placed = follow_up("hl-7")
    placed.record_examination("health", START)
    mapper = NetworkSupportApplication().mapper  # in memory
    old_events = []
    for stored in (mapper.to_stored_event(e) for e in placed.collect_events()):
        state = json.loads(stored.state)  # as the code before case workers stored it
        state.pop("case_worker_id", None)
        old_events.append(
            mapper.to_domain_event(dataclasses.replace(stored, state=json.dumps(state).encode()))
        )
    loaded = None
    for old in old_events:
        loaded = old.mutate(loaded)
    assert (loaded.case_worker_id, loaded.examinations) == (None, {"health": START})
    assert "school_start" in loaded.due_dates()
