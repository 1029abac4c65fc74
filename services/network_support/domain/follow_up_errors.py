"""What placement follow-up refuses (each answered with its own HTTP status by the app)."""

from __future__ import annotations


class FollowUpError(Exception):
    """A rule of placement follow-up was broken."""


class NoSchoolChange(FollowUpError):
    """This placement did not change the child's school."""


class BeforePlacement(FollowUpError):
    """Follow-up of a placement cannot be dated before the placement started."""


class SchoolStartBeforeSchoolChange(FollowUpError):
    """A school start closes the school clock: it cannot be dated before the change that opened it."""


class AfterPlacement(FollowUpError):
    """Follow-up of an ended placement cannot be dated after it ended (recorded late, yes)."""
