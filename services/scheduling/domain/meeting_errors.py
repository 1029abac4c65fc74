"""What can go wrong with a meeting."""

from __future__ import annotations


class MeetingError(Exception):
    """A rule about meetings was broken."""


class MeetingClosed(MeetingError):
    """A held or cancelled meeting cannot change."""


class InvalidTimes(MeetingError):
    """A meeting must end after it starts."""


class MeetingInThePast(InvalidTimes):
    """A meeting cannot be booked, or moved, to a time that has passed."""


class StaffMeetingFollowsItsReferral(MeetingError):
    """A referral's staff meeting is called off with its referral, never by hand: cancelled by
    hand, its duty (within 7 days) would end unseen, and no other could be booked for it."""


class MeetingNotBegun(MeetingError):
    """Who attended is recorded once a meeting has begun: recorded before, it would close the
    meeting's duty (a staff meeting's) before it was met."""


class OutsideWorkingHours(MeetingError):
    """A time chosen by hand keeps to the participants' working time, as the slot finder's does:
    their hours on the roster, on a Swedish working day; a meeting outside it is booked knowingly (an
    evening visitation, an emergency one on a Saturday) or not at all."""


class OverWeeklyCapacity(MeetingError):
    """A time chosen by hand keeps to the participants' weekly capacity on the roster, as the slot
    finder's does; a meeting past it (a crisis week) is booked knowingly or not at all."""


class MeetingBegun(MeetingError):
    """Nobody is invited to a meeting once it has begun: who came is recorded at its attendance."""


class RoleNotNamed(MeetingError):
    """Only a role the meeting names among its other participants is filled."""


class AlreadyInvited(MeetingError):
    """Someone invited already fills no other role of the same meeting."""
