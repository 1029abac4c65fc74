"""Convening the staff meeting of a referral to the Network Centre (and calling it off)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from services.scheduling.base import LOCAL, Interval
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import Slot, find_slot
from services.scheduling.domain.working_days import next_working_day
from services.scheduling.person_days import Days, PersonDayUseCases, changed, wall_clock_intervals
from services.scheduling.read_models import StaffRow

STAFF_MEETING_DEADLINE = timedelta(days=7)
STAFF_MEETING_LENGTH = timedelta(hours=1)


class StaffMeetingUseCases(PersonDayUseCases):
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
        busy = self._busy(municipality)
        days: Days = {}
        while True:  # each turn learns of a clash it did not know of, so it ends
            slot = self._first_free_slot(roster, groups, referred, busy)
            meeting = self._staff_meeting(
                municipality, case_id, roster, case_worker_id, referral_id, referred, slot
            )
            clashing = self._clashing_days(meeting, days)
            if not clashing:
                break
            for day in clashing:
                busy.setdefault(day.staff_id, []).extend(wall_clock_intervals(day))
        self._claim(meeting, days)
        self.save(meeting, *changed(days))
        days_after = (slot.start - referred).total_seconds() / 86400
        self.observer.staff_meeting_convened(municipality, days_after, slot.within_deadline)
        self.observer.meeting_changed(municipality, "staff_meeting", "booked")

    def _staff_meeting(
        self,
        municipality: str,
        case_id: str,
        roster: list[StaffRow],
        case_worker_id: str,
        referral_id: str,
        referred: datetime,
        slot: Slot,
    ) -> Meeting:
        return Meeting(
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

    def cancel_staff_meeting(self, referral_id: str, reason: str) -> None:
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if isinstance(meeting, Meeting) and meeting.is_open:
            meeting.cancel(reason)
            days: Days = {}
            self._release(meeting, days)
            self.save(meeting, *changed(days))
            self.observer.meeting_changed(meeting.municipality, meeting.kind, "cancelled")

    def _first_free_slot(
        self,
        roster: list[StaffRow],
        groups: list[list[str]],
        referred: datetime,
        busy: dict[str, list[Interval]],
    ) -> Slot:
        """From the index of meetings (those booked before ``PersonDay``s existed are only there)
        and what the participants' days have shown to be taken since."""
        return find_slot(
            groups,
            {row.staff_id: row.hours for row in roster},
            busy,
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
