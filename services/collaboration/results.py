"""What collaboration's use cases return: an object and the municipality looking at it.

The owner sees its own object in full; a partner sees a shared home, a request
addressed to it or an activity open to it as its partner topic shows them.
Only the requester's view of its own matching request names a case, so only
that result carries a case for the access log (``case_refs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.collaboration.domain.activity import SharedActivity
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.kit.cases import CaseDataNotFound, CaseRef


def hidden(owner: str, kind: str, object_id: object) -> CaseDataNotFound:
    """Another municipality's pool object: it answers as absent, and the attempt is logged for its owner."""
    return CaseDataNotFound.denied(owner, f"{kind}:{object_id}")


@dataclass(frozen=True)
class HomeSeen:
    viewer: str
    home: FamilyHome

    @property
    def own(self) -> bool:
        return self.home.municipality == self.viewer

    def case_refs(self) -> list[CaseRef]:
        return []  # a home of the pool is not case data


@dataclass(frozen=True)
class RequestSeen:
    """A request as read at ``at``: past its time it reads expired before the sweep records it."""

    viewer: str
    request: MatchingRequest
    at: datetime

    @property
    def own(self) -> bool:
        return self.request.requester == self.viewer

    @property
    def status(self) -> str:
        return self.request.status_at(self.at)

    @property
    def offers(self) -> dict[str, dict[str, str]]:
        return self.request.offers_at(self.at)

    def case_refs(self) -> list[CaseRef]:
        return [CaseRef(self.request.requester, self.request.case_id)] if self.own else []


@dataclass(frozen=True)
class Offered(RequestSeen):
    """A partner's offer of a home: the partner's view of the request and the new offer's id."""

    offer_id: str = ""

    def case_refs(self) -> list[CaseRef]:
        return []  # the offerer never sees the requester's case


@dataclass(frozen=True)
class ActivitySeen:
    viewer: str
    activity: SharedActivity

    @property
    def hosting(self) -> bool:
        return self.activity.host == self.viewer

    def case_refs(self) -> list[CaseRef]:
        return []  # a shared activity is not case data


@dataclass(frozen=True)
class Booked(ActivitySeen):
    booking_id: str = ""
