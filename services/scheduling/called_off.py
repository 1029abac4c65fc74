"""A referral's staff meeting called off: the referral was withdrawn (declined or revoked) or closed.

A staff meeting that has begun is left as it is: it may have been held, and its attendance is
still to be recorded; the end of its referral does not say it was not.
"""

from __future__ import annotations

from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.person_days import Days, changed
from services.scheduling.staff_meeting import StaffMeetingUseCases


class CalledOffUseCases(StaffMeetingUseCases):
    def cancel_staff_meeting(self, referral_id: str, municipality: str, reason: str) -> None:
        """The referral was withdrawn: its staff meeting is called off (``reason``), and one that
        could not be booked is no longer due."""
        self._call_off(referral_id, municipality, reason, "withdrawn")

    def close_staff_meeting(self, referral_id: str, municipality: str) -> None:
        """The referral was closed (its work done, or filed away once declined): as withdrawn."""
        self._call_off(referral_id, municipality, "referral closed", "closed")

    def _call_off(self, referral_id: str, municipality: str, reason: str, settled_as: str) -> None:
        unbooked = self._get(UnbookedStaffMeeting.id_for(municipality, referral_id))
        if isinstance(unbooked, UnbookedStaffMeeting) and unbooked.is_open:
            unbooked.settle(settled_as)
            self.save(unbooked)
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if not isinstance(meeting, Meeting) or meeting.municipality != municipality:
            return  # another municipality's referral id: never theirs to call off
        if meeting.is_open and not meeting.starts_before(self.clock()):
            meeting.cancel(reason)
            days: Days = {}
            self._release(meeting, days)
            self.save(meeting, *changed(days))
            self.observer.meeting_changed(meeting.municipality, meeting.kind, "cancelled")
