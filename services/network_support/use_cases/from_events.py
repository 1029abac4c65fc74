"""Use cases driven by other services' events; the kit runs each in a unit of work with its tracking."""

from __future__ import annotations

from datetime import date

from services.network_support.domain.home_return import HomeReturnProcess
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.domain.support_plan import SupportPlan
from services.network_support.use_cases.base import NetworkSupportBase

KINSHIP_HOME = "natverkshem"


class FromEventsUseCases(NetworkSupportBase):
    def referral_accepted(self, referral_id: str, case_id: str, municipality: str, target: str) -> None:
        """Every accepted referral gets a support plan; one to the safety team also a safety plan."""
        plan: SupportPlan | None = None
        safety: SafetyPlan | None = None
        if not self.exists(SupportPlan.id_for(referral_id)):
            plan = SupportPlan(municipality=municipality, case_id=case_id, referral_id=referral_id)
        if target == "safety_team" and not self.exists(SafetyPlan.id_for(municipality, case_id)):
            safety = SafetyPlan(municipality=municipality, case_id=case_id, started_on=self.today())
        self.save(plan, safety)

    def placement_started(
        self,
        municipality: str,
        case_id: str,
        placement_id: str,
        placement_type: str,
        started_on: date,
        school_change: bool,
    ) -> None:
        """Open the follow-up clocks and, unless the child is already in a network home, the inquiry."""
        if self.exists(PlacementFollowUp.id_for(municipality, placement_id)):
            return  # a repeated delivery
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
        self.save(follow_up, inquiry)

    def placement_ended(self, municipality: str, case_id: str, end_reason: str, ended_on: date) -> None:
        """A child who went home completes the home-return process, opened retroactively if need be."""
        if end_reason != "home_return":
            return
        process = self._find(HomeReturnProcess.id_for(municipality, case_id))
        if process is None:
            process = HomeReturnProcess(
                municipality=municipality, case_id=case_id, on=ended_on, retroactive=True
            )
        process.complete(ended_on)
        self.save(process)

    def network_meeting_booked(self, municipality: str, case_id: str, meeting_id: str, on: date) -> None:
        meetings = self._meetings_of(municipality, case_id)
        meetings.note_booked(meeting_id, on)
        self.save(meetings)

    def network_meeting_moved(self, municipality: str, case_id: str, meeting_id: str, on: date) -> None:
        meetings = self._meetings_of(municipality, case_id)
        meetings.note_moved(meeting_id, on)
        self.save(meetings)

    def network_meeting_cancelled(self, municipality: str, case_id: str, meeting_id: str) -> None:
        meetings = self._meetings_of(municipality, case_id)
        meetings.note_cancelled(meeting_id)
        self.save(meetings)
