"""Scheduling KPIs; labels are municipality, kind and change only."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from contracts.common import MUNICIPALITIES


class SchedulingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.days = Histogram(
            "referral_to_staff_meeting_days",
            "Days from a referral to the Network Centre to its staff meeting",
            ["municipality"],
            buckets=(1, 2, 3, 4, 5, 6, 7, 10, 14, 21, 30),
            registry=registry,
        )
        self.staff_meetings = Counter(
            "natverk_staff_meetings_total",
            "Staff meetings convened, by whether the 7-day deadline was met (sla = met | breached);"
            " one booked in time and later rescheduled past its deadline is counted breached too",
            ["municipality", "sla"],
            registry=registry,
        )
        for municipality in MUNICIPALITIES:  # every series from 0, or the first breach would be
            for sla in ("met", "breached"):  # its first sample: increase() and the alert miss it
                self.staff_meetings.labels(municipality, sla)
        self.unbooked = Counter(
            "natverk_staff_meetings_unbooked_total",
            "Referrals to the Network Centre whose staff meeting could not be booked (nobody free"
            " within the search horizon, or a required role missing from the roster)",
            ["municipality"],
            registry=registry,
        )
        for municipality in MUNICIPALITIES:
            self.unbooked.labels(municipality)
        self.meetings = Counter(
            "natverk_meetings_total",
            "Meeting changes by kind and change (booked, rescheduled, cancelled, held, role_filled)",
            ["municipality", "kind", "change"],
            registry=registry,
        )

    def staff_meeting_convened(self, municipality: str, days_after_referral: float, in_time: bool) -> None:
        self.days.labels(municipality).observe(days_after_referral)
        self.staff_meetings.labels(municipality, "met" if in_time else "breached").inc()

    def staff_meeting_moved_past_deadline(self, municipality: str) -> None:
        """Booked in time (counted ``met``), then rescheduled after its deadline for the first time:
        a breach too, or the alert would never hear of it (the meeting is then in both series)."""
        self.staff_meetings.labels(municipality, "breached").inc()

    def staff_meeting_unbooked(self, municipality: str) -> None:
        self.unbooked.labels(municipality).inc()

    def meeting_changed(self, municipality: str, kind: str, change: str) -> None:
        self.meetings.labels(municipality, kind, change).inc()
