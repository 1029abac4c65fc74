"""Collaboration KPIs; labels are municipality, change, kind and event type only.

They are counted from what is stored, once per stored event, whoever caused it
(a route, the expiry job): a replayed or refused command counts nothing.  So are
withheld partner messages: the stored event is translated once here, as the relay
translates it again on every publish retry and republish.
"""

from __future__ import annotations

import contextlib
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from prometheus_client import CollectorRegistry, Counter

from services.collaboration.domain.activity import SharedActivity
from services.collaboration.domain.matching_request import MatchingRequest
from services.kit.logs import get_logger
from services.kit.publication import PublicationTable
from services.kit.store import ServiceApplication

log = get_logger(__name__)

REQUEST_CHANGES = {
    MatchingRequest.OfferAccepted: "matched",
    MatchingRequest.Expired: "expired",
    MatchingRequest.Withdrawn: "withdrawn",
}


class CollaborationMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "natverk_matching_requests_total",
            "Matching requests by requesting municipality and what happened (opened, matched, expired, withdrawn)",
            ["municipality", "change"],
            registry=registry,
        )
        self.offers = Counter(
            "natverk_matching_offers_total",
            "Homes offered to partners' requests, by offering municipality",
            ["municipality"],
            registry=registry,
        )
        self.withheld = Counter(
            "natverk_partner_messages_withheld_total",
            "Partner messages the disclosure filter stopped because a value looked personal,"
            " counted once as the event that would have produced them is stored",
            ["event_type"],
            registry=registry,
        )
        self.seats = Counter(
            "natverk_activity_seats_booked_total",
            "Seats booked on shared activities, by booking municipality and activity kind",
            ["municipality", "kind"],
            registry=registry,
        )

    def count_withheld(self, event_type: str) -> None:
        self.withheld.labels(event_type).inc()

    def follow(self, app: ServiceApplication, partner_messages: PublicationTable) -> None:
        """Count every event ``app`` stores from now on; ``partner_messages`` counts those withheld."""

        def count(recordings: list[Any]) -> None:
            # The events are stored already: a store that cannot be read back just now costs a
            # count, never the command's answer.
            with contextlib.suppress(OperationalError, InterfaceError):
                for recording in recordings:
                    self._count(app, recording.domain_event)
                    self._translate(partner_messages, recording.domain_event)

        app.on_recorded(count)

    def _translate(self, partner_messages: PublicationTable, event: Any) -> None:
        try:
            partner_messages.translate(event)
        except Exception as error:  # noqa: BLE001 - the relay parks and alerts on it; here it costs a count
            log.warning("stored event not translated for counting", error=type(error).__name__)

    def _count(self, app: ServiceApplication, event: Any) -> None:
        if isinstance(event, MatchingRequest.Opened):
            self.requests.labels(event.requester, "opened").inc()
        elif type(event) in REQUEST_CHANGES:
            requester = app.repository.get(event.originator_id, version=event.originator_version).requester
            self.requests.labels(requester, REQUEST_CHANGES[type(event)]).inc()
        elif isinstance(event, MatchingRequest.OfferMade):
            self.offers.labels(event.partner).inc()
        elif isinstance(event, SharedActivity.SeatsBooked):
            kind = app.repository.get(event.originator_id, version=event.originator_version).kind
            self.seats.labels(event.municipality, kind).inc(event.seats)
