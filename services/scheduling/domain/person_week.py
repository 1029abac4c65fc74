"""One staff member's ISO week: where the writes that add hours to it meet (ADR 0026, addendum).

A week's hours are read from the meetings index and the participants' ``PersonDay``s, and a write
adding to them is refused (or, for the slot finder, placed elsewhere) past the member's weekly
capacity.  Two writers booking the same person on two days of one week write two days: nothing made
them meet, and each passed a capacity that together they exceeded.  Every such write now passes its
participants' weeks, before it reads their hours, in the transaction that stores the rest of its
work: two at the same moment store the week's same next version, the store lets one through, and
the other is run again on what the first stored.

It keeps nothing but its id (municipality, staff id, ISO year and week): the hours stay in the
meetings and days, and a week is never published.  Stores older than the weeks have none: each is
made by whichever writer comes first.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class PersonWeek(Aggregate):
    class Opened(Aggregate.Created):
        """The first writer passed (the person and week are in the id alone)."""

    class Passed(Aggregate.Event):
        """A later writer passed."""

    @staticmethod
    def id_for(municipality: str, staff_id: str, week: tuple[int, int]) -> UUID:
        """``week``: (ISO year, ISO week) of local Swedish time, as the slot finder counts hours."""
        year, number = week
        return stable_id("person-week", municipality, staff_id, f"{year}-W{number:02d}")

    @event(Opened)
    def __init__(self, id: UUID) -> None:  # the library takes a given id by this name
        pass  # the new version is the point: another writer's at the same moment conflicts with it

    def pass_through(self) -> None:
        self._passed()

    @event(Passed)
    def _passed(self) -> None:
        pass
