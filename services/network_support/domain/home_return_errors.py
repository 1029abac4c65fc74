"""What the home-return process refuses (each answered with its own HTTP status by the app)."""

from __future__ import annotations


class HomeReturnError(Exception):
    """A rule of the home-return process was broken."""


class PhaseNotAllowed(HomeReturnError):
    """The process cannot move to that phase from where it is."""


class ReasonRequired(HomeReturnError):
    """A process is broken off for a reason, and the reason is recorded."""


class PhaseDatedBeforePrevious(HomeReturnError):
    """Phases follow one another in time: a phase cannot begin before the one it follows."""


class ProcessAlreadyOpen(HomeReturnError):
    """A case has one open home-return process at a time."""
