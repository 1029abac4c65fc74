"""network_support's workflow rules (issue 16): placement changes and ends, home-return processes,
consent, rules that name members, facts dated after today, safety-plan follow-ups."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import Transcoder

from services.kit.transcoding import DateAsISO
from services.network_support.domain.happened import DatedAfterToday, require_happened
from services.network_support.domain.home_return import (
    PLACED_AGAIN,
    HomeReturnProcess,
    PhaseNotAllowed,
    ProcessAlreadyOpen,
    ReasonRequired,
)
from services.network_support.domain.network_map import ConsentMissing, MemberNamedByRule, NetworkMap
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.safety_plan import FOLLOW_UP_INTERVAL, SafetyPlan
from services.network_support.domain.safety_plan_rules import UnknownRule

START = date(2026, 11, 2)


class _Store(Application):
    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


def follow_up(school_change: bool = False) -> PlacementFollowUp:
    return PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="familjehem",
        started_on=START,
        school_change=school_change,
    )


def test_a_school_change_opens_a_school_clock_due_seven_days_after_the_change() -> None:
    placement = follow_up()
    placement.change_school(START + timedelta(days=20))
    assert placement.due_dates()["school_start"] == START + timedelta(days=27)


def test_a_school_change_while_a_school_clock_is_open_leaves_that_one_clock() -> None:
    """The start's clock runs on; the change is only noted, for a start corrected to none."""
    placement = follow_up(school_change=True)
    placement.collect_events()
    placement.change_school(START + timedelta(days=3))
    assert [type(e) for e in placement.collect_events()] == [PlacementFollowUp.SchoolChangeSaid]
    assert placement.due_dates()["school_start"] == START + timedelta(days=7)


def test_a_school_change_after_the_child_started_school_opens_a_new_clock() -> None:
    placement = follow_up(school_change=True)
    placement.record_school_start(START + timedelta(days=2))
    placement.note_passed_deadlines(START + timedelta(days=30))  # nothing school-wise: it was met
    placement.change_school(START + timedelta(days=40))
    assert placement.school_started_on is None
    assert placement.due_dates()["school_start"] == START + timedelta(days=47)


def test_an_ended_placement_closes_its_open_clocks_and_none_of_them_is_ever_missed() -> None:
    placement = follow_up(school_change=True)
    placement.offer_parent_support(START + timedelta(days=1))
    placement.end(START + timedelta(days=3))
    assert placement.closed_at_end == ("dental_examination", "health_examination", "school_start")
    assert placement.due_dates() == {}
    assert placement.note_passed_deadlines(START + timedelta(days=100)) == []


def test_a_broken_off_home_return_needs_a_reason_and_records_it() -> None:
    process = HomeReturnProcess.begin("0380", "C-1", "trial", START)
    with pytest.raises(ReasonRequired, match="reason"):
        process.move_to("broken_off", START + timedelta(days=5))
    process.move_to("broken_off", START + timedelta(days=5), "The child did not want to go home yet")
    assert (process.outcome, process.reason) == ("broken_off", "The child did not want to go home yet")


def test_a_finished_process_does_not_move_and_an_open_one_blocks_a_new_one() -> None:
    process = HomeReturnProcess.begin("0380", "C-1", "preparation", START)
    process.returned_home(START + timedelta(days=9), "P-1")
    with pytest.raises(ProcessAlreadyOpen):
        process.require_finished()  # the follow-up after the return home is still open
    process.move_to("completed", START + timedelta(days=30))
    process.require_finished()
    with pytest.raises(PhaseNotAllowed):
        process.move_to("trial", START + timedelta(days=31))
    assert process.took_home("P-1") and not process.took_home("P-2")


def test_a_placement_end_a_process_was_completed_by_before_the_follow_up_went_on_is_still_known() -> None:
    """Stored before: ``PhaseChanged`` to completed naming the placement whose end completed it."""
    process = HomeReturnProcess.begin("0380", "C-1", "trial", START)
    process._phase_changed("completed", START + timedelta(days=9), None, "P-1")
    assert process.took_home("P-1")
    assert not process.completed_by_hand_since(START)


def test_a_follow_up_is_broken_off_by_a_placement_starting_after_it_began_but_not_by_its_own() -> None:
    process = HomeReturnProcess.begin("0380", "C-1", "trial", START)
    process.returned_home(START + timedelta(days=10), "P-1")
    assert not process.placed_again(START, "P-0")  # an older placement's start, heard late
    assert not process.placed_again(START + timedelta(days=20), "P-1")  # the one that took it home
    assert process.placed_again(START + timedelta(days=20), "P-2")
    assert (process.outcome, process.phases[-1]) == ("broken_off", ("broken_off", START + timedelta(days=20)))
    assert process.reason == PLACED_AGAIN


def test_a_follow_up_an_end_began_is_broken_off_on_its_day_by_a_placement_that_ran_past_that_day() -> None:
    went_home = START + timedelta(days=10)
    process = HomeReturnProcess.begin("0380", "C-1", "trial", START)
    process.returned_home(went_home, "P-1")
    assert not process.placed_again(START, "P-0", until=went_home)  # over by the return: the child home
    assert process.placed_again(START, "P-2", until=went_home + timedelta(days=1))
    assert (process.outcome, process.phases[-1]) == ("broken_off", ("broken_off", went_home))


def test_a_follow_up_staff_began_is_not_broken_off_by_a_placement_running_when_they_did() -> None:
    """Staff moved it while the child was still placed: that placement is the one the child leaves."""
    process = HomeReturnProcess.begin("0380", "C-1", "follow_up", START)
    assert not process.placed_again(START - timedelta(days=90), "P-1", until=START + timedelta(days=5))


def test_process_one_keeps_the_id_a_case_had_before_and_later_processes_have_their_own() -> None:
    first, second = HomeReturnProcess.id_for("0380", "C-1"), HomeReturnProcess.id_for("0380", "C-1", 2)
    assert first == HomeReturnProcess.legacy_id_for("0380", "C-1")
    assert second != first
    assert HomeReturnProcess.id_for("0380", "C-1:2") not in (first, second)


def test_a_home_return_stored_before_processes_were_numbered_still_loads() -> None:
    app = _Store()
    process = HomeReturnProcess(municipality="0380", case_id="C-1", on=START, retroactive=True)
    process.move_to("completed", START)
    old_events = []
    for stored in (app.mapper.to_stored_event(e) for e in process.collect_events()):
        state = json.loads(stored.state)  # as the code before numbering stored them
        for field in ("number", "reason", "placement_id"):
            state.pop(field, None)
        old_events.append(
            app.mapper.to_domain_event(dataclasses.replace(stored, state=json.dumps(state).encode()))
        )
    loaded = None
    for old in old_events:
        loaded = old.mutate(loaded)
    assert (loaded.number, loaded.phase, loaded.completed_by, loaded.retroactive) == (
        1,
        "completed",
        None,
        True,
    )


def test_consent_is_recorded_by_scope_and_date_and_can_be_withdrawn() -> None:
    network = NetworkMap(municipality="0380", case_id="C-1")
    member = network.add_member("Aunt", "aunt", ("possible_network_home",), contact_consent=True)
    network.record_consent(member, "network_placement", START)
    assert network.consents_of(member) == {"network_placement": START}
    network.withdraw_consent(member, "network_placement", START + timedelta(days=1))
    assert network.consents_of(member) == {}


def test_a_candidate_without_network_placement_consent_is_refused_by_id_never_by_name() -> None:
    network = NetworkMap(municipality="0380", case_id="C-1")
    member = network.add_member("Secret Name", "aunt", ("possible_network_home",), contact_consent=True)
    network.record_consent(member, "contact", START)
    with pytest.raises(ConsentMissing) as refused:
        network.require_consent([member], "network_placement")
    assert str(member) in str(refused.value) and "Secret" not in str(refused.value)


def test_a_member_named_by_a_safety_rule_is_kept_until_the_rule_is_revised() -> None:
    network = NetworkMap(municipality="0380", case_id="C-1")
    grandma = network.add_member("G", "grandparent", ("safety_person",), contact_consent=True)
    uncle = network.add_member("U", "uncle", ("safety_person",), contact_consent=True)
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    rule = plan.add_rule("Grandma collects from school", (grandma,), on_map=network.members)
    with pytest.raises(MemberNamedByRule, match=f"rules {rule}"):
        network.remove_member(grandma, named_by_rules=plan.rules_naming(grandma))
    plan.revise_rule(rule, "The uncle collects from school", (uncle,), on_map=network.members)
    network.remove_member(grandma, named_by_rules=plan.rules_naming(grandma))
    assert grandma not in network.members


def test_revising_an_unknown_rule_is_refused() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    with pytest.raises(UnknownRule):
        plan.revise_rule(3, "text", (), on_map=())


def test_a_fact_dated_after_today_is_refused_naming_the_field_not_the_date() -> None:
    require_happened(START, today=START)
    with pytest.raises(DatedAfterToday) as refused:
        require_happened(START + timedelta(days=1), today=START, field="on")
    assert "on" in str(refused.value) and "2026" not in str(refused.value)


def test_an_overdue_safety_plan_follow_up_is_noted_once_per_due_date() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    due = START + FOLLOW_UP_INTERVAL
    assert plan.note_overdue_follow_up(due) is False
    assert plan.note_overdue_follow_up(due + timedelta(days=1)) is True
    assert plan.note_overdue_follow_up(due + timedelta(days=2)) is False
    plan.follow_up(due + timedelta(days=3))
    assert plan.note_overdue_follow_up(due + timedelta(days=3) + FOLLOW_UP_INTERVAL + timedelta(days=1))
