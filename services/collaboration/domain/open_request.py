"""At most one open matching request of a case to each partner.

One small aggregate per (requesting municipality, case id, partner) names the request that holds
it.  Opening a request holds the slot of every partner it goes to, in the same transaction; two
opened at the same moment (two replicas, two threads) both try to store a slot's next version,
and the store lets only one through.  Whatever ends the holder (an accepted offer, expiry,
withdrawal) releases it.  A case whose child is protected (ADR 0032) bars its slots for good, in
the transaction that notes the protection: a request opened at the same moment conflicts with it
rather than slipping past.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

NOT_TO_PARTNERS = (
    "requests for a child with a protected identity are not sent to partners; "
    "consult them through the named roles instead"
)


class DuplicateRequest(Exception):
    """An open request for the same case already went to that partner."""


class ProtectedChild(Exception):
    """Nothing about a child with a protected identity goes to partners."""


class OpenRequest(Aggregate):
    barred = False  # no request of the case goes to this partner any more (its child is protected)

    @staticmethod
    def id_for(requester: str, case_id: str, partner: str) -> UUID:
        return stable_id("open-matching-request", requester, case_id, partner)

    @classmethod
    def create_id(cls, requester: str, case_id: str, partner: str, **_: object) -> UUID:
        return cls.id_for(requester, case_id, partner)

    @event("Opened")
    def __init__(self, requester: str, case_id: str, partner: str) -> None:
        self.holder: str | None = None

    def hold(self, request_id: UUID) -> None:
        if self.barred:
            raise ProtectedChild(NOT_TO_PARTNERS)
        if self.holder is not None:
            raise DuplicateRequest("an open request for this case already went to one of these partners")
        self._held(str(request_id))

    def release(self, request_id: UUID) -> None:
        if self.holder == str(request_id):
            self._released(str(request_id))

    def bar(self) -> None:
        """The case's child is protected: no request of it may hold this slot again (one way)."""
        if not self.barred:
            self._barred()

    @event("Held")
    def _held(self, request_id: str) -> None:
        self.holder = request_id

    @event("Released")
    def _released(self, request_id: str) -> None:
        self.holder = None

    @event("Barred")
    def _barred(self) -> None:
        self.barred = True
