"""One school change, one school clock (ADR 0033): which school change is a new one, and which clock
a start corrected to no change of school withdraws; school changes stored before still load."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

from services.network_support.application import NetworkSupportApplication
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from tests.unit.test_network_support_workflow_rules import START, follow_up


def test_a_school_change_made_on_the_day_the_child_started_school_is_the_change_already_met() -> None:
    placed = follow_up(school_change=True)
    placed.record_school_start(START + timedelta(days=4))
    placed.collect_events()
    placed.change_school(START + timedelta(days=4))
    assert (placed.collect_events(), placed.due_dates().get("school_start")) == ([], None)


def test_a_start_corrected_to_no_school_change_withdraws_only_the_clock_a_start_opened() -> None:
    by_start, by_change = follow_up(school_change=True), follow_up()
    by_change.change_school(START)  # a change moved the school on the day the placement began
    for placed in (by_start, by_change):
        placed.withdraw_school_change()
    assert ("school_start" in by_start.due_dates(), "school_start" in by_change.due_dates()) == (False, True)
    assert isinstance(by_start.collect_events()[-1], PlacementFollowUp.SchoolClockWithdrawn)


def test_a_school_change_stored_before_it_said_whether_a_start_opened_it_still_loads() -> None:
    placed = follow_up()
    placed.change_school(START + timedelta(days=3))
    mapper = NetworkSupportApplication().mapper  # in memory
    loaded = None
    for stored in (mapper.to_stored_event(e) for e in placed.collect_events()):
        state = json.loads(stored.state)  # as the code before ``by_start`` stored it
        state.pop("by_start", None)
        old = mapper.to_domain_event(dataclasses.replace(stored, state=json.dumps(state).encode()))
        loaded = old.mutate(loaded)
    assert loaded is not None and loaded.due_dates()["school_start"] == START + timedelta(days=10)
    assert loaded.school_clock_by_start is False  # a change's clock: a corrected start leaves it
