"""A record that somebody read (or was refused) a case's data."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event


class CaseAccess(Aggregate):
    """One read of case data: who, which case, what, why, and whether it was allowed."""

    @event("Recorded")
    def __init__(
        self,
        case_id: str,
        actor: str,
        actor_municipality: str,
        resource: str,
        purpose: str,
        outcome: str,
        municipality: str = "",
    ) -> None:
        # The case's own municipality (empty in records stored before it was kept: then
        # the reader's, since only granted reads of one's own cases were logged that way).
        self.municipality = municipality or actor_municipality
        self.case_id = case_id
        self.actor = actor
        self.actor_municipality = actor_municipality
        self.resource = resource
        self.purpose = purpose
        self.outcome = outcome
