"""Use cases driven by other services' records about a case's plans: an accepted referral drafts a
support plan (and, to the safety team, a safety plan), and scheduling's network meetings follow the
safety plan up.  The kit runs each in a unit of work with its tracking."""

from __future__ import annotations

from datetime import date

from services.kit.logs import get_logger
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.domain.support_plan import SupportPlan
from services.network_support.use_cases.base import NetworkSupportBase

log = get_logger(__name__)


class PlansFromEventsUseCases(NetworkSupportBase):
    def referral_accepted(
        self, referral_id: str, case_id: str, municipality: str, target: str, accepted_on: date | None = None
    ) -> None:
        """Every accepted referral gets a support plan; one to the safety team also a safety plan, or
        reopens the case's concluded one (concern has returned).  Only the referral's first hearing
        reopens, known by its support plan not being there yet: heard again, it never reopens a plan
        concluded since.  The plan is open from the Swedish day the referral was accepted (never
        after today), not the day this service heard of it: its dated facts may fall from then on."""
        today = self.today()
        opened_on = min(accepted_on or today, today)
        plan: SupportPlan | None = None
        safety: SafetyPlan | None = None
        first = not self.exists(SupportPlan.id_for(referral_id))
        if first:
            plan = SupportPlan(municipality=municipality, case_id=case_id, referral_id=referral_id)
        if target == "safety_team":
            safety = self._find(SafetyPlan.id_for(municipality, case_id))
            if safety is None:
                safety = SafetyPlan(municipality=municipality, case_id=case_id, started_on=opened_on)
            elif first:
                safety.reopen(opened_on)
        self.save(plan, safety)

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

    def network_meeting_held(
        self, municipality: str, case_id: str, meeting_id: str, on: date | None = None
    ) -> None:
        """The meeting's day is its case's safety-plan follow-up, once (the plan decides whether).  One
        held before the plan was drafted or reopened was not about it, and one said held on a day
        after today (the Swedish day) has not happened: either is noted as held, and consumed."""
        meetings = self._meetings_of(municipality, case_id)
        held_on = meetings.note_held(meeting_id, on)
        plan = self._find(SafetyPlan.id_for(municipality, case_id))
        if held_on is not None and plan is not None:
            today = self.today()
            plan.follow_up_at_meeting(meeting_id, held_on, today)
            # No case, meeting or day in these lines: they are case data.
            if held_on < plan.open_since:
                log.info("network meeting held before its case's safety plan was open: not its follow-up")
            elif held_on > today:
                log.info("network meeting said held on a day after today: not its safety plan's follow-up")
        self.save(meetings, plan)
