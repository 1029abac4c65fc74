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
