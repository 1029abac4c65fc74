"""The network_support use cases: each is get → call → save (STYLE §3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication
from services.network_support.domain.home_return import HomeReturnProcess
from services.network_support.domain.network_map import NetworkMap
from services.network_support.domain.network_meetings import NetworkMeetings, UnknownMeeting
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.domain.support_plan import SupportPlan

KINSHIP_HOME = "natverkshem"


class NotFound(Exception):
    """Nothing of that kind for this case or placement in the caller's municipality."""


class ResponsibleNotOnMap(Exception):
    """A safety-plan rule names a responsible person who is not on the case's network map."""


class FollowUpObserver(Protocol):
    def follow_up_recorded(self, municipality: str, what: str, days: int) -> None: ...

    def deadline_passed(self, municipality: str, clock: str) -> None: ...


class _Silent:
    def follow_up_recorded(self, municipality: str, what: str, days: int) -> None:
        pass

    def deadline_passed(self, municipality: str, clock: str) -> None:
        pass


def _fold_open_follow_ups(rows: dict[Any, bool], e: Any) -> None:
    if isinstance(e, PlacementFollowUp.Opened):
        rows[e.originator_id] = True


def _fold_support_plans(rows: dict[Any, tuple[str, str]], e: Any) -> None:
    if isinstance(e, SupportPlan.Opened):
        rows[e.originator_id] = (e.municipality, e.case_id)


class NetworkSupportApplication(ServiceApplication):
    name = "network_support"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._follow_ups = CatchUpIndex(self, _fold_open_follow_ups)
        self._support_plans = CatchUpIndex(self, _fold_support_plans)
        self.today: Callable[[], date] = date.today
        self.observer: FollowUpObserver = _Silent()

    # -- from events ---------------------------------------------------------------------
    def referral_accepted(
        self, referral_id: str, case_id: str, municipality: str, target: str, tracking: Tracking | None = None
    ) -> None:
        """Every accepted referral gets a support plan; one to the safety team also a safety plan."""
        new: list[Any] = []
        if self._get(SupportPlan.id_for(referral_id)) is None:
            new.append(SupportPlan(municipality=municipality, case_id=case_id, referral_id=referral_id))
        if target == "safety_team" and self._get(SafetyPlan.id_for(municipality, case_id)) is None:
            new.append(SafetyPlan(municipality=municipality, case_id=case_id, started_on=self.today()))
        self.save(*new, tracking=tracking)

    def placement_started(
        self,
        municipality: str,
        case_id: str,
        placement_id: str,
        placement_type: str,
        started_on: date,
        school_change: bool,
        tracking: Tracking | None = None,
    ) -> None:
        """Open the follow-up clocks and, unless the child is already in a network home, the inquiry."""
        if self._get(PlacementFollowUp.id_for(municipality, placement_id)) is not None:
            self.save(tracking=tracking)  # a repeated delivery: only note that it was seen
            return
        follow_up = PlacementFollowUp(
            municipality=municipality,
            case_id=case_id,
            placement_id=placement_id,
            placement_type=placement_type,
            started_on=started_on,
            school_change=school_change,
        )
        inquiry = None
        if placement_type != KINSHIP_HOME:
            inquiry = NetworkPlacementInquiry(
                municipality=municipality, case_id=case_id, placement_id=placement_id
            )
        self.save(follow_up, inquiry, tracking=tracking)

    def placement_ended(
        self,
        municipality: str,
        case_id: str,
        end_reason: str,
        ended_on: date,
        tracking: Tracking | None = None,
    ) -> None:
        if end_reason != "home_return":
            self.save(tracking=tracking)
            return
        process = self._get(HomeReturnProcess.id_for(municipality, case_id))
        if process is None:  # the child went home without a process: open it retroactively
            process = HomeReturnProcess(
                municipality=municipality, case_id=case_id, on=ended_on, retroactive=True
            )
        process.complete(ended_on)
        self.save(process, tracking=tracking)

    def network_meeting_booked(
        self, municipality: str, case_id: str, meeting_id: str, on: date, tracking: Tracking | None = None
    ) -> None:
        self._note_meeting(
            municipality, case_id, lambda meetings: meetings.note_booked(meeting_id, on), tracking
        )

    def network_meeting_moved(
        self, municipality: str, case_id: str, meeting_id: str, on: date, tracking: Tracking | None = None
    ) -> None:
        self._note_meeting(
            municipality, case_id, lambda meetings: meetings.note_moved(meeting_id, on), tracking
        )

    def network_meeting_cancelled(
        self, municipality: str, case_id: str, meeting_id: str, tracking: Tracking | None = None
    ) -> None:
        self._note_meeting(
            municipality, case_id, lambda meetings: meetings.note_cancelled(meeting_id), tracking
        )

    def _note_meeting(
        self,
        municipality: str,
        case_id: str,
        note: Callable[[NetworkMeetings], None],
        tracking: Tracking | None,
    ) -> None:
        meetings = self._get(NetworkMeetings.id_for(municipality, case_id))
        if meetings is None:
            meetings = NetworkMeetings(municipality=municipality, case_id=case_id)
        note(meetings)
        self.save(meetings, tracking=tracking)

    # -- support plan ----------------------------------------------------------------------
    def support_plan_of(self, municipality: str, case_id: str) -> SupportPlan:
        for plan_id, (owner, case) in self._support_plans.items():
            if owner == municipality and case == case_id:
                return self.repository.get(plan_id)
        raise NotFound("no support plan for this case")

    def change_support_plan(
        self, municipality: str, case_id: str, change: Callable[[SupportPlan], Any]
    ) -> SupportPlan:
        plan = self.support_plan_of(municipality, case_id)
        change(plan)
        self.save(plan)
        return plan

    # -- network map and safety plan ---------------------------------------------------------
    def network_map(self, municipality: str, case_id: str, create: bool = False) -> NetworkMap:
        found = self._get(NetworkMap.id_for(municipality, case_id))
        if found is None and not create:
            raise NotFound("no network map for this case")
        return found or NetworkMap(municipality=municipality, case_id=case_id)

    def change_network_map(self, municipality: str, case_id: str, change: Callable[[NetworkMap], Any]) -> Any:
        network = self.network_map(municipality, case_id, create=True)
        result = change(network)
        self.save(network)
        return result

    def safety_plan(self, municipality: str, case_id: str) -> SafetyPlan:
        plan = self._get(SafetyPlan.id_for(municipality, case_id))
        if plan is None:
            raise NotFound("no safety plan for this case")
        return plan

    def draft_safety_plan(self, municipality: str, case_id: str) -> SafetyPlan:
        plan = self._get(SafetyPlan.id_for(municipality, case_id))
        if plan is None:
            plan = SafetyPlan(municipality=municipality, case_id=case_id, started_on=self.today())
            self.save(plan)
        return plan

    def add_safety_rule(
        self, municipality: str, case_id: str, text: str, responsible_member_ids: tuple[int, ...]
    ) -> int:
        """A rule of the plan names who in the network is responsible: they must be on the map."""
        network = self._get(NetworkMap.id_for(municipality, case_id))
        known = set(network.members) if network is not None else set()
        unknown = sorted(set(responsible_member_ids) - known)
        if unknown:
            raise ResponsibleNotOnMap(
                f"not on this case's network map: member(s) {', '.join(map(str, unknown))}"
            )
        return self.change_safety_plan(
            municipality, case_id, lambda plan: plan.add_rule(text, responsible_member_ids)
        )

    def record_safety_scale(
        self,
        municipality: str,
        case_id: str,
        statement_id: int,
        value: int,
        on: date,
        meeting_id: str | None = None,
    ) -> None:
        """A reading that names a meeting must come from one of the case's network meetings."""
        if meeting_id is not None:
            meetings = self._get(NetworkMeetings.id_for(municipality, case_id))
            if meetings is None:
                raise UnknownMeeting(f"no network meeting {meeting_id} is known for this case")
            meetings.check_reading(meeting_id, on)
        self.change_safety_plan(
            municipality, case_id, lambda plan: plan.record_scale(statement_id, value, on, meeting_id)
        )

    def change_safety_plan(self, municipality: str, case_id: str, change: Callable[[SafetyPlan], Any]) -> Any:
        plan = self.safety_plan(municipality, case_id)
        result = change(plan)
        self.save(plan)
        return result

    # -- placements ----------------------------------------------------------------------------
    def inquiry(self, municipality: str, placement_id: str) -> NetworkPlacementInquiry:
        inquiry = self._get(NetworkPlacementInquiry.id_for(municipality, placement_id))
        if inquiry is None:
            raise NotFound("no network-placement inquiry for this placement")
        return inquiry

    def name_candidates_from_map(self, municipality: str, placement_id: str) -> NetworkPlacementInquiry:
        inquiry = self.inquiry(municipality, placement_id)
        network = self._get(NetworkMap.id_for(municipality, inquiry.case_id))
        inquiry.name_candidates(tuple(network.candidates_for_network_home()) if network else ())
        self.save(inquiry)
        return inquiry

    def conclude_inquiry(
        self, municipality: str, placement_id: str, outcome: str, reason: str
    ) -> NetworkPlacementInquiry:
        inquiry = self.inquiry(municipality, placement_id)
        inquiry.conclude(outcome, reason)
        self.save(inquiry)
        return inquiry

    def follow_up(self, municipality: str, placement_id: str) -> PlacementFollowUp:
        found = self._get(PlacementFollowUp.id_for(municipality, placement_id))
        if found is None:
            raise NotFound("no follow-up for this placement")
        return found

    def record_follow_up(
        self, municipality: str, placement_id: str, change: Callable[[PlacementFollowUp], Any]
    ) -> PlacementFollowUp:
        follow_up = self.follow_up(municipality, placement_id)
        offered_before, school_before = follow_up.parent_support_offered_on, follow_up.school_started_on
        change(follow_up)
        self.save(follow_up)
        # KPIs count first occurrences only: a repeated offer or a corrected date is not a second child
        if offered_before is None and follow_up.parent_support_offered_on is not None:
            days = (follow_up.parent_support_offered_on - follow_up.started_on).days
            self.observer.follow_up_recorded(municipality, "parent_support_offered", days)
        if school_before is None and follow_up.school_started_on is not None:
            self.observer.follow_up_recorded(
                municipality, "school_started", (follow_up.school_started_on - follow_up.started_on).days
            )
        return follow_up

    def check_deadlines(self) -> int:
        """Mark every follow-up clock that has passed its due date (periodic job); returns how many."""
        today, passed = self.today(), 0
        for follow_up_id, _ in self._follow_ups.items():  # noqa: PERF102 - an index, not a dict
            follow_up: PlacementFollowUp = self.repository.get(follow_up_id)
            newly = follow_up.note_passed_deadlines(today)
            if newly:
                self.save(follow_up)
                for clock in newly:
                    self.observer.deadline_passed(follow_up.municipality, clock)
                passed += len(newly)
        return passed

    # -- home return -------------------------------------------------------------------------------
    def home_return(self, municipality: str, case_id: str) -> HomeReturnProcess:
        process = self._get(HomeReturnProcess.id_for(municipality, case_id))
        if process is None:
            raise NotFound("no home-return process for this case")
        return process

    def move_home_return(self, municipality: str, case_id: str, phase: str, on: date) -> HomeReturnProcess:
        process = self._get(HomeReturnProcess.id_for(municipality, case_id))
        if process is None:  # the process starts in preparation, whatever phase is named first
            process = HomeReturnProcess(municipality=municipality, case_id=case_id, on=on, retroactive=False)
            if phase != "preparation":
                process.move_to(phase, on)
        else:
            process.move_to(phase, on)
        self.save(process)
        return process

    def _get(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
