from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from services.network_support.domain.follow_up_errors import BeforePlacement, NoSchoolChange
from services.network_support.domain.home_return import (
    HomeReturnProcess,
    PhaseDatedBeforePrevious,
    PhaseNotAllowed,
)
from services.network_support.domain.network_map import NetworkMap, UnknownMember, UnknownRelation
from services.network_support.domain.network_meetings import (
    MeetingCancelled,
    NetworkMeetings,
    NotOnMeetingDay,
    UnknownMeeting,
)
from services.network_support.domain.network_placement_inquiry import (
    InquiryConcluded,
    NetworkPlacementInquiry,
)
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.safety_plan import FOLLOW_UP_INTERVAL, SafetyPlan
from services.network_support.domain.safety_plan_rules import (
    ConcludedBeforeItsFacts,
    DatedBeforeThePlan,
    ResponsibleNotOnMap,
    SafetyPlanConcluded,
    ScaleOutOfRange,
    UnknownStatement,
)
from services.network_support.domain.support_plan import SupportPlan, SupportPlanClosed, UnknownAction

START = date(2026, 11, 2)


def test_repeated_meeting_announcements_record_each_fact_once() -> None:
    meetings = NetworkMeetings(municipality="0380", case_id="C-1")
    meetings.note_booked("M-1", START)
    meetings.note_booked("M-1", START + timedelta(days=3))  # a republished booking changes nothing
    meetings.note_moved("M-1", START + timedelta(days=7))
    meetings.note_moved("M-1", START + timedelta(days=7))
    meetings.note_cancelled("M-1")
    meetings.note_cancelled("M-1")
    meetings.note_moved("M-1", START + timedelta(days=9))  # a cancelled meeting stays where it was
    meetings.note_cancelled("M-never")  # a cancellation of one never heard of records nothing
    names = [type(e).__name__ for e in meetings.collect_events()]
    assert names == ["Started", "Booked", "Moved", "Cancelled"]
    assert meetings.meetings == {"M-1": {"on": START + timedelta(days=7), "cancelled": True}}


def test_a_move_heard_before_its_booking_books_the_meeting_on_the_new_day() -> None:
    meetings = NetworkMeetings(municipality="0380", case_id="C-1")
    meetings.note_moved("M-1", START)
    meetings.check_reading("M-1", START)  # no error: the reading fits


def test_a_reading_is_refused_from_an_unknown_a_cancelled_or_another_days_meeting() -> None:
    meetings = NetworkMeetings(municipality="0380", case_id="C-1")
    meetings.note_booked("M-1", START)
    meetings.note_booked("M-2", START)
    meetings.note_cancelled("M-2")
    with pytest.raises(UnknownMeeting):
        meetings.check_reading("M-9", START)
    with pytest.raises(MeetingCancelled):
        meetings.check_reading("M-2", START)
    with pytest.raises(NotOnMeetingDay):
        meetings.check_reading("M-1", START + timedelta(days=1))
    meetings.check_reading("M-1", START)


def test_a_network_meeting_is_held_once_and_only_when_it_is_known_and_not_cancelled() -> None:
    meetings = NetworkMeetings(municipality="0380", case_id="C-1")
    meetings.note_booked("M-1", START)
    meetings.note_moved("M-1", START + timedelta(days=7))
    meetings.note_booked("M-2", START)
    meetings.note_cancelled("M-2")
    assert meetings.note_held("M-1") == START + timedelta(days=7)  # the day it was moved to
    held_again = [meetings.note_held(m) for m in ("M-1", "M-2", "M-never")]
    assert held_again == [None, None, None]
    assert [type(e).__name__ for e in meetings.collect_events()].count("Held") == 1
    meetings.check_reading("M-1", START + timedelta(days=7))  # a reading from it still fits


def test_a_held_record_that_says_its_day_dates_the_meeting_and_a_move_told_after_it_changes_nothing() -> None:
    meetings = NetworkMeetings(municipality="0380", case_id="C-1")
    meetings.note_booked("M-1", START)
    assert meetings.note_held("M-1", START + timedelta(days=7)) == START + timedelta(days=7)
    assert meetings.note_held("M-never-booked", START + timedelta(days=2)) == START + timedelta(days=2)
    meetings.note_moved("M-1", START + timedelta(days=3))  # a stale record redriven after the held one
    meetings.note_booked("M-2", START)
    meetings.note_cancelled("M-2")
    assert [meetings.note_held(m, START) for m in ("M-1", "M-never-booked", "M-2")] == [None, None, None]
    meetings.check_reading("M-1", START + timedelta(days=7))
    meetings.check_reading("M-never-booked", START + timedelta(days=2))


def test_a_meeting_held_counts_for_nothing_on_a_concluded_safety_plan() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    plan.conclude("safety_goals_met", START + timedelta(days=5))
    plan.follow_up_at_meeting("M-1", START + timedelta(days=7), today=START + timedelta(days=8))
    assert [type(e).__name__ for e in plan.collect_events()] == ["Drafted", "Concluded"]


def test_a_meeting_said_held_on_a_day_after_today_is_no_follow_up_of_a_safety_plan() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    plan.follow_up_at_meeting("M-1", START + timedelta(days=8), today=START + timedelta(days=7))
    plan.follow_up_at_meeting("M-2", START + timedelta(days=7), today=START + timedelta(days=7))
    assert [getattr(e, "meeting_id", None) for e in plan.collect_events()] == [None, "M-2"]


def test_a_follow_up_stored_before_meetings_counted_replays_as_one_recorded_by_hand() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    plan.follow_up(START + timedelta(days=30))
    drafted, followed_up = plan.collect_events()
    stored_before = object.__new__(SafetyPlan.FollowedUp)  # as the mapper rebuilds an old event
    stored_before.__dict__.update({k: v for k, v in vars(followed_up).items() if k != "meeting_id"})
    replayed = stored_before.mutate(drafted.mutate(None))
    assert replayed.follow_up_due == START + timedelta(days=30) + FOLLOW_UP_INTERVAL


def test_support_plan_actions_are_completed_once_and_unknown_ones_are_refused() -> None:
    plan = SupportPlan(municipality="0380", case_id="C-1", referral_id="R-1")
    plan.add_goal("The child can live at home with the network's support")
    action = plan.add_action("Map the network", "family_therapist", START + timedelta(days=14))
    plan.complete_action(action)
    plan.complete_action(action)  # completing twice records nothing new
    assert plan.actions[action]["status"] == "done"
    assert sum(type(e).__name__ == "ActionCompleted" for e in plan.collect_events()) == 1
    with pytest.raises(UnknownAction):
        plan.complete_action(99)


def test_a_closed_support_plan_refuses_goals_and_actions() -> None:
    plan = SupportPlan(municipality="0380", case_id="C-1", referral_id="R-1")
    action = plan.add_action("Map the network", "family_therapist", START)
    plan.close("referral_closed")
    for attempt in (
        lambda: plan.add_goal("Home"),
        lambda: plan.add_action("Call", "parent_supporter", START),
        lambda: plan.complete_action(action),
    ):
        with pytest.raises(SupportPlanClosed):
            attempt()
    assert (plan.goals, plan.actions[action]["status"]) == ([], "open")


def test_support_plan_id_is_stable_per_referral_so_redelivery_meets_the_same_plan() -> None:
    assert SupportPlan.id_for("R-1") == SupportPlan.id_for("R-1") != SupportPlan.id_for("R-2")


def test_network_map_keeps_members_by_id_and_refuses_unknown_ones() -> None:
    network = NetworkMap(municipality="0380", case_id="C-1")
    grandma = network.add_member("Name Kept Here", "grandparent", ("possible_network_home",), True)
    teacher = network.add_member("Another Name", "teacher", ("support_person",), False)
    network.change_member(teacher, "teacher", ("support_person", "safety_person"), True)
    network.remove_member(teacher)
    assert list(network.members) == [grandma]
    assert network.candidates_for_network_home() == [grandma]
    with pytest.raises(UnknownMember):
        network.remove_member(teacher)
    # a removed member's id is never reused: history stays unambiguous
    assert network.add_member("Third", "neighbour", (), False) == teacher + 1


def test_network_map_refuses_free_text_relations() -> None:
    network = NetworkMap(municipality="0380", case_id="C-1")
    with pytest.raises(UnknownRelation):
        network.add_member("Anna", "anna's friend", (), True)


def test_safety_plan_scales_outside_0_to_10_are_refused() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    with pytest.raises(ScaleOutOfRange):
        plan.add_danger_statement("danger", "goal", 11, START)
    statement = plan.add_danger_statement("danger", "goal", 3, START)
    with pytest.raises(ScaleOutOfRange):
        plan.record_scale(statement, -1, START)
    with pytest.raises(UnknownStatement):
        plan.record_scale(statement + 1, 5, START)


def test_a_safety_rule_naming_someone_not_on_the_network_map_is_refused() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    with pytest.raises(ResponsibleNotOnMap) as refused:
        plan.add_rule("Grandma collects from school", (1, 7), on_map={1, 2})
    assert "7" not in str(refused.value)
    assert plan.add_rule("Grandma collects from school", (1,), on_map={1, 2}) == 1


def _remove_unknown_member() -> None:
    NetworkMap(municipality="0380", case_id="C-1").remove_member(4242)


def _complete_unknown_action() -> None:
    SupportPlan(municipality="0380", case_id="C-1", referral_id="R-1").complete_action(4242)


def _scale_unknown_statement() -> None:
    SafetyPlan(municipality="0380", case_id="C-1", started_on=START).record_scale(4242, 5, START)


def _read_from_unknown_meeting() -> None:
    NetworkMeetings(municipality="0380", case_id="C-1").check_reading("M-4242", START)


def _follow_up_before_the_placement() -> None:
    follow_up = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="hvb",
        started_on=START,
        school_change=True,
    )
    follow_up.record_examination("health", date(1942, 4, 24))


@pytest.mark.parametrize(
    "attempt",
    [
        _remove_unknown_member,
        _complete_unknown_action,
        _scale_unknown_statement,
        _read_from_unknown_meeting,
        _follow_up_before_the_placement,
    ],
)
def test_a_refusal_never_echoes_the_id_or_date_it_was_sent(attempt: Any) -> None:
    with pytest.raises(
        (UnknownMember, UnknownAction, UnknownStatement, UnknownMeeting, BeforePlacement)
    ) as refused:
        attempt()
    assert "4242" not in str(refused.value) and "1942" not in str(refused.value)


def test_safety_plan_follow_up_falls_due_within_six_months_of_the_last_one() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    assert plan.follow_up_due == START + FOLLOW_UP_INTERVAL
    assert timedelta(days=184) >= FOLLOW_UP_INTERVAL
    assert not plan.is_follow_up_overdue(plan.follow_up_due)
    assert plan.is_follow_up_overdue(plan.follow_up_due + timedelta(days=1))
    plan.follow_up(START + timedelta(days=100))
    assert plan.follow_up_due == START + timedelta(days=100) + FOLLOW_UP_INTERVAL


def test_a_reopened_safety_plan_is_due_six_months_after_reopening_and_keeps_its_conclusion() -> None:
    plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
    plan.note_overdue_follow_up(START + FOLLOW_UP_INTERVAL + timedelta(days=1))
    plan.conclude("child_placed", START + timedelta(days=200))
    reopened_on = START + timedelta(days=700)
    plan.reopen(reopened_on)
    plan.reopen(reopened_on + timedelta(days=1))  # a running plan needs no reopening
    assert (plan.is_concluded, plan.follow_up_due) == (False, reopened_on + FOLLOW_UP_INTERVAL)
    assert plan.earlier_conclusions == [("child_placed", START + timedelta(days=200), reopened_on)]
    assert not plan.note_overdue_follow_up(reopened_on + FOLLOW_UP_INTERVAL)
    assert plan.note_overdue_follow_up(reopened_on + FOLLOW_UP_INTERVAL + timedelta(days=1))


def test_a_concluded_network_placement_inquiry_does_not_change() -> None:
    inquiry = NetworkPlacementInquiry(municipality="0380", case_id="C-1", placement_id="P-1")
    inquiry.name_candidates((1, 2))
    inquiry.conclude("declined", "The grandparents declined")
    with pytest.raises(InquiryConcluded):
        inquiry.conclude("network_home_found", "changed their mind")
    with pytest.raises(InquiryConcluded):
        inquiry.name_candidates((3,))


def test_home_return_moves_forward_only_and_a_placement_end_begins_its_follow_up() -> None:
    process = HomeReturnProcess(municipality="0380", case_id="C-1", on=START)
    process.move_to("trial", START + timedelta(days=10))
    with pytest.raises(PhaseNotAllowed):
        process.move_to("preparation", START + timedelta(days=11))
    process.returned_home(START + timedelta(days=40), "P-1")
    assert (process.phase, process.outcome) == ("follow_up", None)
    process.returned_home(START + timedelta(days=41), "P-1")  # in its follow-up already: nothing more
    process.move_to("completed", START + timedelta(days=90))
    assert [phase for phase, _ in process.phases] == ["preparation", "trial", "follow_up", "completed"]
    with pytest.raises(PhaseNotAllowed):
        process.move_to("follow_up", START + timedelta(days=92))


def test_a_home_return_phase_cannot_begin_before_the_phase_it_follows() -> None:
    process = HomeReturnProcess(municipality="0380", case_id="C-1", on=START)
    with pytest.raises(PhaseDatedBeforePrevious) as refused:
        process.move_to("trial", START - timedelta(days=1))
    assert "2026" not in str(refused.value)
    process.move_to("trial", START)  # the same day is in order
    assert [phase for phase, _ in process.phases] == ["preparation", "trial"]


def test_placement_follow_up_opens_clocks_due_seven_days_after_the_start() -> None:
    follow_up = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="familjehem",
        started_on=START,
        school_change=True,
    )
    due = follow_up.due_dates()
    assert due["parent_support"] == due["school_start"] == START + timedelta(days=7)
    assert {"health_examination", "dental_examination"} <= set(due)


def test_without_a_school_change_there_is_no_school_clock_and_no_school_start() -> None:
    follow_up = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="hvb",
        started_on=START,
        school_change=False,
    )
    assert "school_start" not in follow_up.due_dates()
    with pytest.raises(NoSchoolChange):
        follow_up.record_school_start(START + timedelta(days=2))


def test_follow_up_dated_before_the_placement_is_refused() -> None:
    follow_up = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="hvb",
        started_on=START,
        school_change=True,
    )
    with pytest.raises(BeforePlacement):
        follow_up.offer_parent_support(START - timedelta(days=1))
    with pytest.raises(BeforePlacement):
        follow_up.record_school_start(START - timedelta(days=1))


def test_a_passed_deadline_is_noted_once_and_a_met_one_never() -> None:
    follow_up = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="familjehem",
        started_on=START,
        school_change=True,
    )
    follow_up.offer_parent_support(START + timedelta(days=3))
    assert follow_up.note_passed_deadlines(START + timedelta(days=7)) == []  # day 7 is still in time
    assert follow_up.note_passed_deadlines(START + timedelta(days=8)) == ["school_start"]
    assert follow_up.note_passed_deadlines(START + timedelta(days=9)) == []
    assert set(follow_up.note_passed_deadlines(START + timedelta(days=31))) == {
        "health_examination",
        "dental_examination",
    }


class SafetyPlanMachine(RuleBasedStateMachine):
    """Any sequence of plan commands keeps the scales in 0..10, versions rising, and replay faithful.
    Facts are dated from ``opened``, the day the plan was drafted or last reopened: none before."""

    @initialize()
    def draft(self) -> None:
        self.plan = SafetyPlan(municipality="0380", case_id="C-1", started_on=START)
        self.opened = self.last_fact = START
        self.events: list[Any] = list(self.plan.collect_events())
        self.last_version = self.plan.plan_version

    def _keep_events(self) -> None:
        self.events.extend(self.plan.collect_events())

    def _fact(self, day: date) -> date:
        """A dated fact of the plan on ``day`` (recorded if the plan takes it)."""
        self.last_fact = max(self.last_fact, day)
        return day

    @precondition(lambda self: not self.plan.is_concluded)
    @rule(value=st.integers(min_value=-5, max_value=15), days=st.integers(0, 400))
    def add_statement(self, value: int, days: int) -> None:
        day = self.opened + timedelta(days=days)
        try:
            self.plan.add_danger_statement("danger", "goal", value, day)
            self._fact(day)
        except ScaleOutOfRange:
            assert not 0 <= value <= 10
        self._keep_events()

    @precondition(lambda self: bool(self.plan.statements) and not self.plan.is_concluded)
    @rule(data=st.data(), value=st.integers(min_value=-5, max_value=15), days=st.integers(0, 400))
    def record_scale(self, data: st.DataObject, value: int, days: int) -> None:
        statement = data.draw(st.integers(1, len(self.plan.statements) + 1))
        day = self.opened + timedelta(days=days)
        try:
            self.plan.record_scale(statement, value, day)
            self._fact(day)
        except (ScaleOutOfRange, UnknownStatement):
            assert not 0 <= value <= 10 or statement not in self.plan.statements
        self._keep_events()

    @precondition(lambda self: not self.plan.is_concluded)
    @rule(members=st.lists(st.integers(1, 9), min_size=1, max_size=3))
    def add_rule(self, members: list[int]) -> None:
        self.plan.add_rule("rule", tuple(members), on_map=range(1, 10))
        self._keep_events()

    @precondition(lambda self: not self.plan.is_concluded)
    @rule(days=st.integers(0, 400))
    def revise(self, days: int) -> None:
        self.plan.revise(self._fact(self.opened + timedelta(days=days)))
        self._keep_events()

    @precondition(lambda self: not self.plan.is_concluded)
    @rule(days=st.integers(0, 400))
    def follow_up(self, days: int) -> None:
        self.plan.follow_up(self._fact(self.opened + timedelta(days=days)))
        self._keep_events()

    @rule(days=st.integers(0, 400))
    def conclude(self, days: int) -> None:
        """Never dated before a fact recorded while the plan was open."""
        day = self.opened + timedelta(days=days)
        try:
            self.plan.conclude("child_placed", day)
        except SafetyPlanConcluded:
            assert self.plan.conclusion_reason == "child_placed"
        except ConcludedBeforeItsFacts:
            assert day < self.last_fact and not self.plan.is_concluded
        else:
            assert day >= self.last_fact
        self._keep_events()

    @rule(days=st.integers(400, 800))
    def reopen(self, days: int) -> None:
        """After every fact of the plan so far (each at most 400 days after it was opened)."""
        was_concluded, day = self.plan.is_concluded, self.opened + timedelta(days=days)
        self.plan.reopen(day)
        assert not self.plan.is_concluded
        if was_concluded:
            assert self.plan.earlier_conclusions[-1][2] == day
            self.opened = self.last_fact = day
        self._keep_events()

    @precondition(lambda self: not self.plan.is_concluded)
    @rule(days=st.integers(1, 400), command=st.sampled_from(["revise", "follow_up", "conclude", "statement"]))
    def a_fact_dated_before_the_plan_was_opened_is_refused(self, days: int, command: str) -> None:
        before = self.opened - timedelta(days=days)
        facts = {
            "revise": lambda: self.plan.revise(before),
            "follow_up": lambda: self.plan.follow_up(before),
            "conclude": lambda: self.plan.conclude("child_placed", before),
            "statement": lambda: self.plan.add_danger_statement("danger", "goal", 5, before),
        }
        with pytest.raises(DatedBeforeThePlan):
            facts[command]()
        assert list(self.plan.collect_events()) == []

    @invariant()
    def a_concluded_plan_refuses_changes(self) -> None:
        if self.plan.is_concluded:
            with pytest.raises(SafetyPlanConcluded):
                self.plan.revise(START)

    @invariant()
    def scales_stay_within_0_to_10(self) -> None:
        for statement in self.plan.statements.values():
            assert all(0 <= value <= 10 for _, value in statement["scales"])

    @invariant()
    def versions_only_increase(self) -> None:
        assert self.plan.plan_version >= self.last_version
        self.last_version = self.plan.plan_version

    @invariant()
    def follow_up_is_never_more_than_six_months_after_the_last(self) -> None:
        assert self.plan.follow_up_due == self.plan.last_follow_up + FOLLOW_UP_INTERVAL

    @invariant()
    def a_rebuilt_plan_equals_the_live_one(self) -> None:
        copy = None
        for event in self.events:
            copy = event.mutate(copy)
        assert copy is not None
        assert copy.__dict__ == self.plan.__dict__


SafetyPlanMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
test_safety_plan_state_machine = SafetyPlanMachine.TestCase
