"""A municipality asks chosen partners for a family home for an assignment.

Needs are described in bands and words, never who the child is.  Partners
offer homes; the requester accepts one (the others are declined), and may give
its place back by withdrawing; unanswered, the request expires.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id_of_text
from services.kit.domain.swedish_time import swedish_day

# A home is asked for from a day near today: a need that began a little while ago (a child
# in an emergency placement), or one planned for, but not a year's slip of the keyboard.
FROM_AT_MOST_DAYS_AGO = 30
FROM_AT_MOST_DAYS_AHEAD = 365


class MatchingError(Exception):
    """A rule of matching was broken."""


class RequestClosed(MatchingError):
    """The request is expired or withdrawn, or matched with no place held to give back."""


class NotAddressed(MatchingError):
    """Only partners the request was sent to may offer."""


class UnknownOffer(MatchingError):
    """No such offer on this request."""


class InvalidRequest(MatchingError):
    """The request cannot be made as given."""


class MatchingRequest(Aggregate):
    class Opened(Aggregate.Created):
        requester: str
        case_id: str
        partners: tuple[str, ...]
        age_band: str
        placement_type: str
        needs: tuple[str, ...]
        from_date: date
        expires_at: datetime

    class OfferMade(Aggregate.Event):
        offer_id: str
        partner: str
        home_id: str

    class OfferAccepted(Aggregate.Event):
        offer_id: str

    class Expired(Aggregate.Event): ...

    class Withdrawn(Aggregate.Event): ...

    @event(Opened)
    def __init__(
        self,
        requester: str,
        case_id: str,
        partners: tuple[str, ...],
        age_band: str,
        placement_type: str,
        needs: tuple[str, ...],
        from_date: date,
        expires_at: datetime,
    ) -> None:
        self.requester, self.case_id, self.partners = requester, case_id, tuple(partners)
        self.age_band, self.placement_type, self.needs = age_band, placement_type, tuple(needs)
        self.from_date, self.expires_at = from_date, expires_at
        self.status = "open"
        self.offers: dict[str, dict[str, str]] = {}  # offer id -> partner, home id, status

    @classmethod
    def open(
        cls,
        requester: str,
        case_id: str,
        partners: tuple[str, ...],
        age_band: str,
        placement_type: str,
        needs: tuple[str, ...],
        from_date: date,
        expires_at: datetime,
        now: datetime,
    ) -> MatchingRequest:
        partners = tuple(sorted(set(partners)))
        if not partners:
            raise InvalidRequest("name at least one partner municipality")
        if requester in partners:
            raise InvalidRequest("a municipality does not ask itself")
        if expires_at <= now:
            raise InvalidRequest("the request would expire before it is sent")
        today = swedish_day(now)
        if (
            not today - timedelta(days=FROM_AT_MOST_DAYS_AGO)
            <= from_date
            <= today + timedelta(days=FROM_AT_MOST_DAYS_AHEAD)
        ):
            raise InvalidRequest(
                f"from_date: must be within {FROM_AT_MOST_DAYS_AGO} days before and "
                f"{FROM_AT_MOST_DAYS_AHEAD} days after today"
            )
        return cls(
            requester=requester,
            case_id=case_id,
            partners=partners,
            age_band=age_band,
            placement_type=placement_type,
            needs=tuple(needs),
            from_date=from_date,
            expires_at=expires_at,
        )

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def status_at(self, now: datetime) -> str:
        """The status at ``now``: an open request past its time is expired, though the periodic
        sweep that records it may not have come yet."""
        return "expired" if self.is_open and now >= self.expires_at else self.status

    def offers_at(self, now: datetime) -> dict[str, dict[str, str]]:
        """The offers at ``now``: those of a request past its time are withdrawn, as the sweep will say."""
        if self.status_at(now) == self.status:
            return self.offers
        return {offer_id: {**offer, "status": "withdrawn"} for offer_id, offer in self.offers.items()}

    def offer(self, partner: str, home_id: str, now: datetime) -> str:
        self._require_open(now)
        if partner not in self.partners:
            raise NotAddressed("this request was not sent to your municipality")
        offer_id = str(stable_id_of_text(f"{self.id}:{home_id}"))
        if offer_id in self.offers:
            return offer_id  # the same home offered twice is one offer
        self._offer_made(offer_id, partner, home_id)
        return offer_id

    def accept(self, offer_id: str, now: datetime) -> None:
        self._require_open(now)
        if offer_id not in self.offers:
            raise UnknownOffer("no such offer on this request")
        self._offer_accepted(offer_id)

    def expire_if_due(self, now: datetime) -> bool:
        if self.is_open and now >= self.expires_at:
            self._expired()
            return True
        return False

    def withdraw(self, now: datetime, giving_back: bool = False) -> None:
        """Ends the request while open; a matched one only as its held place is given back."""
        if not (giving_back and self.status == "matched"):
            self._require_open(now)
        self._withdrawn()

    def declined_offers(self) -> list[str]:
        return [offer_id for offer_id, offer in self.offers.items() if offer["status"] == "declined"]

    def _require_open(self, now: datetime) -> None:
        """Open at ``now``, past its time also before the sweep has recorded the expiry.  Nothing
        is recorded here: the refused command stores nothing."""
        if (status := self.status_at(now)) != "open":
            raise RequestClosed(f"the request is {status}")

    @event(OfferMade)
    def _offer_made(self, offer_id: str, partner: str, home_id: str) -> None:
        self.offers[offer_id] = {"partner": partner, "home_id": home_id, "status": "made"}

    @event(OfferAccepted)
    def _offer_accepted(self, offer_id: str) -> None:
        for other_id, offer in self.offers.items():
            offer["status"] = "accepted" if other_id == offer_id else "declined"
        self.status = "matched"

    def _close_offers(self) -> None:
        for offer in self.offers.values():  # a matched request's declined offers stay declined
            offer["status"] = "declined" if offer["status"] == "declined" else "withdrawn"

    @event(Expired)
    def _expired(self) -> None:
        self._close_offers()
        self.status = "expired"

    @event(Withdrawn)
    def _withdrawn(self) -> None:
        self._close_offers()
        self.status = "withdrawn"
