"""Placement KPIs as the case store sees the inbound placement events; bounded labels only."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class PlacementMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.started = Counter(
            "natverk_placements_total",
            "Placements started (first seen), by municipality and placement type; "
            "kinship share = placement_type=natverkshem / all",
            ["municipality", "placement_type"],
            registry=registry,
        )
        self.changed = Counter(
            "natverk_placement_type_changes_total",
            "Running placements whose type changed, by municipality and new type",
            ["municipality", "placement_type"],
            registry=registry,
        )
        self.ended = Counter(
            "natverk_placements_ended_total",
            "Placements ended, by municipality and reason (home_return, breakdown, re_placement, age_out, other)",
            ["municipality", "end_reason"],
            registry=registry,
        )

    def placement_recorded(self, municipality: str, what: str, label: str) -> None:
        counter = {"started": self.started, "changed": self.changed, "ended": self.ended}[what]
        counter.labels(municipality, label).inc()
