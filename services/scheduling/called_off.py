"""A referral's staff meeting called off: the referral was withdrawn (declined or revoked) or closed.

A staff meeting that has begun is left as it is: it may have been held, and its attendance is
still to be recorded; the end of its referral does not say it was not.  A call-off that comes
before the referral (its ``received`` record parked by referrals' relay and released later) is
kept (``EarlyCallOff``): the referral, when it comes, convenes nothing, as the records in order
would have left nothing booked (ADR 0026, addendum "a referral called off before it arrived").
"""

from __future__ import annotations

from services.scheduling.domain.early_call_off import EarlyCallOff
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.person_days import Days, changed
from services.scheduling.staff_meeting import StaffMeetingUseCases


class CalledOffUseCases(StaffMeetingUseCases):
    def cancel_staff_meeting(
        self, referral_id: str, municipality: str, reason: str, target: str = "network_centre"
    ) -> None:
        """The referral was withdrawn: its staff meeting is called off (``reason``), and one that
        could not be booked is no longer due."""
        self._call_off(referral_id, municipality, reason, "withdrawn", target)

    def close_staff_meeting(
        self, referral_id: str, municipality: str, target: str = "network_centre"
    ) -> None:
        """The referral was closed (its work done, or filed away once declined): as withdrawn."""
        self._call_off(referral_id, municipality, "referral closed", "closed", target)

    def _call_off(
        self, referral_id: str, municipality: str, reason: str, settled_as: str, target: str
    ) -> None:
        unbooked = self._get(UnbookedStaffMeeting.id_for(municipality, referral_id))
        if isinstance(unbooked, UnbookedStaffMeeting) and unbooked.is_open:
            unbooked.settle(settled_as)
            self.save(unbooked)
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if meeting is None and unbooked is None:
            self._keep_call_off(municipality, referral_id, reason, target)
        if not isinstance(meeting, Meeting) or meeting.municipality != municipality:
            return  # another municipality's referral id: never theirs to call off
        if meeting.is_open and not meeting.starts_before(self.clock()):
            meeting.cancel(reason)
            days: Days = {}
            self._release(meeting, days)
            self.save(meeting, *changed(days))
            self.observer.meeting_changed(meeting.municipality, meeting.kind, "cancelled")

    def _keep_call_off(self, municipality: str, referral_id: str, reason: str, target: str) -> None:
        """Scheduling has not heard of the referral yet: kept, once (a declined referral closed
        later is the same call-off), so its late ``received`` convenes nothing.  Only a referral to
        the Network Centre ever has a staff meeting to keep from convening."""
        if target == "network_centre" and not self.exists(EarlyCallOff.id_for(municipality, referral_id)):
            self.save(EarlyCallOff(municipality, referral_id, reason))
