"""Convening the staff meeting of a referral to the Network Centre (and calling it off)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from services.scheduling.base import LOCAL, SchedulingBase
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import Slot, find_slot
from services.scheduling.domain.working_days import next_working_day
from services.scheduling.read_models import StaffRow

STAFF_MEETING_DEADLINE = timedelta(days=7)
STAFF_MEETING_LENGTH = timedelta(hours=1)


class StaffMeetingUseCases(SchedulingBase):
    def convene_staff_meeting(
        self,
        referral_id: str,
        target: str,
        case_id: str,
        municipality: str,
        child_status: str,
        case_worker_id: str,
        referred_at: datetime,
    ) -> None:
        """Within 7 calendar days of a referral to the Network Centre, when everyone needed is free."""
        if target != "network_centre" or self.exists(Meeting.id_for_referral(referral_id)):
            return
        roster = self._active_staff(municipality)
        if not any(row.role == "coordinator" for row in roster):
            return  # no Network Centre roster in this municipality: nothing to convene
        referred = referred_at.astimezone(LOCAL).replace(tzinfo=None)
        groups = _staff_meeting_groups(roster, child_status, case_worker_id)
        slot = self._first_free_slot(municipality, roster, groups, referred)
        meeting = Meeting(
            municipality=municipality,
            case_id=case_id,
            kind="staff_meeting",
            start=slot.start,
            end=slot.end,
            staff_ids=slot.attendees,
            other_participants=() if _on_roster(roster, case_worker_id) else ("case_worker",),
            referral_id=referral_id,
            deadline=referred + STAFF_MEETING_DEADLINE,
            series_id=None,
        )
        self.save(meeting)
        days = (slot.start - referred).total_seconds() / 86400
        self.observer.staff_meeting_convened(municipality, days, slot.within_deadline)
        self.observer.meeting_changed(municipality, "staff_meeting", "booked")

    def cancel_staff_meeting(self, referral_id: str, reason: str) -> None:
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if isinstance(meeting, Meeting) and meeting.is_open:
            meeting.cancel(reason)
            self.save(meeting)
            self.observer.meeting_changed(meeting.municipality, meeting.kind, "cancelled")

    def _first_free_slot(
        self, municipality: str, roster: list[StaffRow], groups: list[list[str]], referred: datetime
    ) -> Slot:
        return find_slot(
            groups,
            {row.staff_id: row.hours for row in roster},
            self._busy(municipality),
            earliest_staff_meeting(referred, self.clock()),
            referred + STAFF_MEETING_DEADLINE,
            STAFF_MEETING_LENGTH,
        )


def earliest_staff_meeting(referred: datetime, now: datetime) -> datetime:
    """The start of the first working day after the referral arrived, or after now when it is
    handled later: never in the past, never at a few hours' notice."""
    return datetime.combine(next_working_day(max(referred, now).date()), time())


def _on_roster(roster: list[StaffRow], staff_id: str) -> bool:
    return any(row.staff_id == staff_id for row in roster)


def _staff_meeting_groups(roster: list[StaffRow], child_status: str, case_worker_id: str) -> list[list[str]]:
    """Who must attend: the coordinator, a family therapist or pedagogue, a parent supporter when
    the child is placed, the responsible case worker and the resource team (those on the roster)."""
    by_role: dict[str, list[str]] = {}
    for row in roster:
        by_role.setdefault(row.role, []).append(row.staff_id)
    groups = [
        by_role.get("coordinator", []),
        by_role.get("family_therapist", []) + by_role.get("family_pedagogue", []),
    ]
    if child_status == "placed":
        groups.append(by_role.get("parent_supporter", []))
    if _on_roster(roster, case_worker_id):
        groups.append([case_worker_id])
    if by_role.get("resource_team"):
        groups.append(by_role["resource_team"])
    return groups
