"""Collaboration KPIs; labels are municipality, change and kind only."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


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
            "Partner messages the disclosure filter stopped because a value looked personal",
            ["event_type"],
            registry=registry,
        )
        self.seats = Counter(
            "natverk_activity_seats_booked_total",
            "Seats booked on shared activities, by booking municipality and activity kind",
            ["municipality", "kind"],
            registry=registry,
        )
