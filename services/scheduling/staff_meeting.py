"""Convening the staff meeting of a referral to the Network Centre (and calling it off)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from services.scheduling.base import LOCAL, Interval
from services.scheduling.domain.early_call_off import EarlyCallOff
from services.scheduling.domain.early_placement import EarlyPlacement
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.person_day import PersonDay
from services.scheduling.domain.protected_case import ProtectedCase
from services.scheduling.domain.slot_finder import NoSlotFound, Slot, find_slot
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.invitees import InviteeUseCases
from services.scheduling.person_days import Days, changed, wall_clock_intervals
from services.scheduling.read_models import StaffRow
from services.scheduling.staff_meeting_rules import (
    STAFF_MEETING_DEADLINE,
    STAFF_MEETING_LENGTH,
    earliest_staff_meeting,
    staff_meeting_groups,
)

__all__ = ["StaffMeetingUseCases", "earliest_staff_meeting", "learned"]


class StaffMeetingUseCases(InviteeUseCases):
    def convene_staff_meeting(
        self,
        referral_id: str,
        target: str,
        case_id: str,
        municipality: str,
        child_status: str,
        case_worker_id: str,
        referred_at: datetime,
        protected_identity: bool = False,
    ) -> None:
        """Within 7 calendar days of a referral to the Network Centre, when everyone needed is
        free and has hours left that week; after the deadline when nobody has (it is reported).
        A referral called off before it came convenes nothing, as in order it would have left
        nothing booked (``EarlyCallOff``)."""
        if target != "network_centre" or self.exists(Meeting.id_for_referral(referral_id)):
            return
        if self.exists(EarlyCallOff.id_for(municipality, referral_id)):
            return
        if not self._has_network_centre(municipality):
            return  # no Network Centre roster in this municipality: nothing to convene
        roster = self._active_staff(municipality)
        roster, added = self._with_invitees(municipality, roster, case_worker_id)
        referred = referred_at.astimezone(LOCAL).replace(tzinfo=None)
        if self.exists(EarlyPlacement.id_for(municipality, referral_id)):
            child_status = "placed"  # its child_placed event came first
        protected_identity = protected_identity or self.exists(ProtectedCase.id_for(municipality, case_id))
        groups = staff_meeting_groups(roster, child_status, case_worker_id)
        busy = self._busy(municipality)
        days: Days = {}
        try:
            while True:  # each turn learns of a booking it did not know of, so it ends
                slot = self._first_free_slot(roster, groups, referred, busy)
                meeting = self._staff_meeting(
                    municipality, case_id, case_worker_id, referral_id, referred, slot, protected_identity
                )
                self._through_weeks(municipality, meeting.staff_ids, [meeting.start])  # before its days
                if not learned(busy, self._clashing_days(meeting, days) + self._week_of(meeting, days)):
                    break
        except NoSlotFound:
            unbooked = UnbookedStaffMeeting(
                municipality,
                case_id,
                referral_id,
                referred_at,
                child_status,
                case_worker_id,
                protected_identity,
            )
            self._note_unbooked(unbooked, added)
            return
        self._claim(meeting, days)
        self.save(*added, meeting, *changed(days))
        days_after = (slot.start - referred).total_seconds() / 86400
        self.observer.staff_meeting_convened(municipality, days_after, slot.within_deadline)
        self.observer.meeting_changed(municipality, "staff_meeting", "booked")

    def _has_network_centre(self, municipality: str) -> bool:
        """It has, or had, a coordinator: one who left before the next was registered leaves the
        referral unbooked (noted, on the worklist, retried), not dropped."""
        return any(
            row.municipality == municipality and row.role == "coordinator" for row in self._staff.rows()
        )

    def _note_unbooked(self, unbooked: UnbookedStaffMeeting, added: list[StaffMember]) -> None:
        """Once per referral (a retry that finds no time either changes nothing)."""
        if self.exists(unbooked.id):
            return
        self.save(*added, unbooked)
        self.observer.staff_meeting_unbooked(unbooked.municipality)

    def _staff_meeting(
        self,
        municipality: str,
        case_id: str,
        case_worker_id: str,
        referral_id: str,
        referred: datetime,
        slot: Slot,
        protected_identity: bool,
    ) -> Meeting:
        return Meeting(
            municipality=municipality,
            case_id=case_id,
            kind="staff_meeting",
            start=slot.start,
            end=slot.end,
            staff_ids=slot.attendees,
            # Whoever is to be invited and could not be booked (not yet assigned, or no longer on
            # the roster) is named by role, as before.
            other_participants=() if case_worker_id in slot.attendees else ("case_worker",),
            referral_id=referral_id,
            deadline=referred + STAFF_MEETING_DEADLINE,
            series_id=None,
            protected_identity=protected_identity,
        )

    def _week_of(
        self, meeting: Meeting, days: Days, staff_ids: tuple[str, ...] | None = None
    ) -> list[PersonDay]:
        """The participants' (or ``staff_ids``') stored days of the meeting's ISO week: their load
        that week, with the bookings made earlier in the same batch (the index shows those only
        once committed)."""
        monday = meeting.start.date() - timedelta(days=meeting.start.weekday())
        week = [monday + timedelta(days=n) for n in range(7)]
        return [
            day
            for staff_id in (meeting.staff_ids if staff_ids is None else staff_ids)
            for on in week
            if (day := self._stored_day(meeting.municipality, staff_id, on, days)) is not None
        ]

    def _stored_day(self, municipality: str, staff_id: str, on: date, days: Days) -> PersonDay | None:
        day_id = PersonDay.id_for(municipality, staff_id, on)
        if day_id not in days:
            stored = self._get(day_id)
            if not isinstance(stored, PersonDay):
                return None
            days[day_id] = stored
        return days[day_id]

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
            {row.staff_id: row.weekly_capacity_hours for row in roster},
        )


def learned(busy: dict[str, list[Interval]], days: list[PersonDay]) -> bool:
    """Add the days' bookings to ``busy``; whether any was new."""
    new = False
    for day in days:
        known = busy.setdefault(day.staff_id, [])
        for interval in wall_clock_intervals(day):
            if interval not in known:
                known.append(interval)
                new = True
    return new
