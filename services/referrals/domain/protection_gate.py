"""Where the writes that decide a child's protection meet (ADR 0032).

A referral is made protected from what the stored referrals and placement records of its case and
its child say, and a protection said marks the stored referrals it reaches: both read indexes of
what is stored.  Requests are spread over the replicas, and the placement records come on their own
topic, so two writers may each read before the other stored: a referral made unprotected, not seeing
the protection, and the protection, not seeing the referral, left it unprotected for good.  One small
aggregate per key the protection follows (a case, or a child's personal identity number, in one
municipality) is the point they meet: every writer passes the gate of each key it reads, before it
reads, in the transaction that stores the rest of its work (a placement record passes its case's,
whatever it says: it may name the child's number for the case).  Two such writers store the gate's
same next version, the store lets only one through, and the other runs again on what the first
stored (a record: the kit's applier; a request: the kit's command path, ADR 0014).

It keeps nothing but its id (a hash of the key: the number stays in the referral, and a gate is
never published).  Stores older than the gates have none: each is made by whichever comes first.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class ProtectionGate(Aggregate):
    class Opened(Aggregate.Created):
        """The first writer passed (the key is in the id alone)."""

    class Passed(Aggregate.Event):
        """A later writer passed."""

    @staticmethod
    def id_for(kind: str, municipality: str, value: str) -> UUID:
        """``kind`` is "case" (``value`` a case id) or "child" (a personal identity number)."""
        return stable_id("referrals", "protection-gate", kind, municipality, value)

    @event(Opened)
    def __init__(self, id: UUID) -> None:  # the library takes a given id by this name
        pass  # the new version is the point: another writer's at the same moment conflicts with it

    def pass_through(self) -> None:
        self._passed()

    @event(Passed)
    def _passed(self) -> None:
        pass
