"""Prometheus metrics every service exposes; labels come from bounded sets only.

Each service gets its own registry so that several apps can live in one
test process.  Never label by case id or anything personal.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.relay_published = Counter(
            "natverk_relay_published_events_total",
            "CloudEvents the relay published, by topic",
            ["topic"],
            registry=self.registry,
        )
        self.relay_lag = Gauge(
            "natverk_relay_lag_events",
            "Stored notifications not yet published (stored minus published)",
            registry=self.registry,
        )
        self.relay_parked = Counter(
            "natverk_relay_parked_total",
            "Stored events the relay could not publish and parked (it went on with the rest)",
            registry=self.registry,
        )
        self.relay_parked_waiting = Gauge(
            "natverk_relay_parked_events",
            "Parked stored events not yet released by ops (natverk outbox list)",
            registry=self.registry,
        )
        self.relay_leader = Gauge(
            "natverk_relay_leader",
            "1 while this replica's relay holds the lease and publishes, 0 while it stands by",
            registry=self.registry,
        )
        self.relay_rewinds = Counter(
            "natverk_relay_rewinds_total",
            "Times the relay found the broker had lost records and republished the whole log",
            registry=self.registry,
        )
        self.relay_batches_again = Counter(
            "natverk_relay_batches_published_again_total",
            "Relay batches the broker took only in part, published again in a new epoch (ADR 0012)",
            registry=self.registry,
        )
        self.consumed = Counter(
            "natverk_consumer_records_total",
            "Records consumed, by topic and outcome "
            "(processed, duplicate, ignored, dead_lettered, skipped_invalid)",
            ["topic", "outcome"],
            registry=self.registry,
        )
        self.inbound_key_mismatches = Counter(
            "natverk_inbound_records_key_mismatch_total",
            "Records handled as usual though their Kafka key is not their case id in UTF-8, by "
            "topic, problem (missing, not_utf8, not_case_id) and the municipality they name (or none)",
            ["topic", "problem", "municipality"],
            registry=self.registry,
        )
        self.dead_lettered = Counter(
            "natverk_dlq_records_total",
            "Records this service sent to a dead-letter topic, by dead-letter topic",
            ["dlq_topic"],
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "natverk_consumer_lag_records",
            "Records in a partition not yet consumed by this replica, as last measured "
            "(no sample while the broker's end offsets cannot be read: the lag is unknown)",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.consumer_lag_age = Gauge(
            "natverk_consumer_lag_age_seconds",
            "Seconds since this replica last measured its lag on a partition it consumes from "
            "(keeps growing while the broker's end offsets cannot be read)",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "natverk_http_request_duration_seconds",
            "HTTP request latency by method, route template and status class",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.case_reads = Counter(
            "natverk_case_reads_total",
            "Reads of case data, by outcome (granted, denied)",
            ["outcome"],
            registry=self.registry,
        )
