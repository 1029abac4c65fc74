"""Follow-up KPIs of placed children; labels are municipality, clock and kind only."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from contracts.common import MUNICIPALITIES


class FollowUpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.school_days = Histogram(
            "days_from_placement_to_school_start",
            "Days from a placement that changed school to the child's first school day (SAMS)",
            ["municipality"],
            buckets=(1, 2, 3, 5, 7, 10, 14, 21, 30, 60),
            registry=registry,
        )
        self.parent_support = Counter(
            "natverk_parent_support_offered_total",
            "Crisis support offered to birth parents, by whether it was within 7 days (sla = met | breached)",
            ["municipality", "sla"],
            registry=registry,
        )
        self.deadlines = Counter(
            "natverk_follow_up_deadlines_passed_total",
            "Follow-up clocks that passed their due date"
            " (parent_support, school_start, health/dental_examination, lasting_care_decision)",
            ["municipality", "clock"],
            registry=registry,
        )
        self.safety_follow_ups = Counter(
            "natverk_safety_plan_follow_ups_overdue_total",
            "Signs of Safety plans whose six-monthly follow-up passed its due date (once per due date)",
            ["municipality"],
            registry=registry,
        )

        self.home_return_follow_ups = Counter(
            "natverk_home_return_follow_ups_overdue_total",
            "Follow-ups after a child went home neither completed nor broken off by their due date (once each)",
            ["municipality"],
            registry=registry,
        )

        for municipality in MUNICIPALITIES:  # every series from 0, or a municipality's first note
            self.safety_follow_ups.labels(municipality)  # would be its first sample: increase(),
            self.home_return_follow_ups.labels(municipality)  # and the alert on it, miss that one

    def home_return_follow_up_overdue(self, municipality: str) -> None:
        self.home_return_follow_ups.labels(municipality).inc()

    def safety_follow_up_overdue(self, municipality: str) -> None:
        self.safety_follow_ups.labels(municipality).inc()

    def follow_up_recorded(self, municipality: str, what: str, days: int) -> None:
        if what == "school_started":
            self.school_days.labels(municipality).observe(days)
        elif what == "parent_support_offered":
            self.parent_support.labels(municipality, "met" if days <= 7 else "breached").inc()

    def deadline_passed(self, municipality: str, clock: str) -> None:
        self.deadlines.labels(municipality, clock).inc()
