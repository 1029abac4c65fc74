"""What an HTTP command with an ``Idempotency-Key`` did, saved with its effect."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id_of_text


class IdempotencyKeyReused(Exception):
    """The same key came back with a different request."""


class IdempotencyRecord(Aggregate):
    """Created in the same transaction as the command's events; a repeat finds it.

    ``response`` is the first response's JSON body and ``cases`` the cases it
    carries (``municipality/case_id``), so that a replay is the same answer and is
    access-logged like the first.  Records stored before those fields existed have
    them empty.
    """

    @staticmethod
    def id_for(scope: str, key: str) -> UUID:
        return stable_id_of_text(f"idempotency:{scope}:{key}")

    @classmethod
    def create_id(cls, scope: str, key: str, **_: object) -> UUID:
        return cls.id_for(scope, key)

    @event("Recorded")
    def __init__(
        self,
        scope: str,
        key: str,
        fingerprint: str,
        resource_id: str,
        status: int,
        response: str = "",
        cases: tuple[str, ...] = (),
    ) -> None:
        self.fingerprint = fingerprint
        self.resource_id = resource_id
        self.status = status
        self.response = response
        self.cases = tuple(cases)

    def check_same_request(self, fingerprint: str) -> None:
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused("Idempotency-Key was already used for a different request")
