"""A placement's temporary-care clock (DOMAIN.md, seed 002: six months is the usual upper limit of
a temporary placement): while the child is in an emergency home (``jourhem``), a decision on
lasting care is due six calendar months after the day the child entered it in this placement.

The case system's records say the type: the start's, and each change's on its Swedish day.  They
arrive in any order, repeated and corrected, so the follow-up keeps every type it was told by day
and the clock is read from that history, never from the order the records came in (ADR 0033):
the last stretch of temporary care runs from its first day (a move from one emergency home to
another keeps it) until a change to a lasting type, which meets it.  Of two changes on one day the
later record (its CloudEvent ``time``) decides, whichever came first.  A follow-up stored before the
types were kept has a clock only once a change has said a type (``types_kept``).

These are ``PlacementFollowUp``'s commands on this clock, mixed into it as ``school_clock``'s are;
its event and how that changes the follow-up stay nested in ``PlacementFollowUp``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

CLOCK = "lasting_care_decision"
TEMPORARY_TYPES = frozenset({"jourhem"})  # the emergency home; every other type is lasting care
TEMPORARY_CARE_MONTHS = 6


class TypesSaid(Protocol):
    started_on: date
    start_type: str | None  # None: the start not seen (yet)
    type_changes: dict[date, str]  # each change's day -> the type it said
    types_kept: bool  # False: stored before the records' types were kept


@dataclass(frozen=True)
class Types:
    """The types a follow-up was told, as a value: what one more record would make of them."""

    started_on: date
    start_type: str | None
    type_changes: dict[date, str]
    types_kept: bool

    @classmethod
    def of(cls, said: TypesSaid) -> Types:
        return cls(said.started_on, said.start_type, dict(said.type_changes), said.types_kept)

    def told(self, on: date | None, placement_type: str) -> Types:
        if on is None:
            return replace(self, start_type=placement_type)
        return replace(self, type_changes={**self.type_changes, on: placement_type})


def says_news(told: str | None, told_at: datetime | None, kind: str, at: datetime | None) -> bool:
    """A record tells its day something new: a first type, or one from a time not before the kept
    one's (another type, or the same said later, so a record between them cannot undo it).  A type
    kept or told without a time (stored before times were kept) ranks by arrival, as it was applied."""
    if told is None:
        return True
    if at is not None and told_at is not None and at < told_at:
        return False  # an earlier record of the day, come late
    return told != kind or (at is not None and at != told_at)


def months_later(day: date, months: int) -> date:
    """The same day number ``months`` calendar months later, or that month's last day if shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(since: date) -> date:
    return months_later(since, TEMPORARY_CARE_MONTHS)


def stretch(said: TypesSaid, started_on: date | None = None) -> tuple[date, date | None] | None:
    """The last stretch of temporary care, (first day, the day a change to a lasting type ended it
    or None while it lasts), by the types said in their days' order; None if there was none.  A
    change dated before the start counts from the start, after it."""
    start = started_on or said.started_on
    said_types = [(start, start, said.start_type)] if said.start_type else []
    changes = sorted((max(day, start), day, kind) for day, kind in said.type_changes.items())
    since: date | None = None
    until: date | None = None
    for day, _, kind in [*said_types, *changes]:
        if kind in TEMPORARY_TYPES and (since is None or until is not None):
            since, until = day, None
        elif kind not in TEMPORARY_TYPES and since is not None and until is None:
            until = day
    if since is None or not (said.types_kept or said.type_changes):
        return None  # a follow-up stored before types were kept: only a change tells its type now
    return since, until


def due(said: TypesSaid) -> date | None:
    """When the decision on lasting care falls due, while the child is in temporary care."""
    found = stretch(said)
    return due_on(found[0]) if found is not None and found[1] is None else None


def passed_still(said: TypesSaid, today: date, started_on: date | None = None) -> bool:
    """As the records now tell it, the clock passed its due day while the child was in temporary
    care (a note made on what was known before stays only then)."""
    found = stretch(said, started_on)
    if found is None:
        return False
    since, until = found
    return today > due_on(since) and (until is None or until > due_on(since))


class TemporaryCareCommands:
    started_on: date
    start_type: str | None
    type_changes: dict[date, str]
    type_said_at: dict[date, datetime | None]  # each change's day -> the time of the record kept
    types_kept: bool
    ended_on: date | None
    passed: set[str]

    if TYPE_CHECKING:  # PlacementFollowUp's own, where its events are

        def _type_said(
            self, on: date | None, placement_type: str, passed: tuple[str, ...], said_at: datetime | None
        ) -> None: ...

    def say_type(self, placement_type: str, on: date | None, today: date, at: datetime | None = None) -> None:
        """A record's placement type: the start's (``on`` None) or a change's on its day, made at
        ``at``.  Told again or by an earlier record of the day, nothing (``says_news``); after the
        end, nothing (the end closed the clock).  A clock noted passed stays so only if it passed as
        the records now tell it (``passed_still``)."""
        told = self.start_type if on is None else self.type_changes.get(on)
        told_at = None if on is None else self.type_said_at.get(on)
        if self.ended_on is not None or not says_news(told, told_at, placement_type, at):
            return
        after = Types.of(self).told(on, placement_type)
        kept = {CLOCK} & self.passed if passed_still(after, today) else set()
        self._type_said(on, placement_type, tuple(sorted(self.passed - {CLOCK} | kept)), at)

    def _take_type(
        self, on: date | None, placement_type: str, passed: tuple[str, ...], said_at: datetime | None
    ) -> None:
        """``TypeSaid`` applied (``PlacementFollowUp._type_said``)."""
        self.passed = set(passed)
        if on is None:
            self.start_type = placement_type
            return
        self.type_changes[on], self.type_said_at[on] = placement_type, said_at
