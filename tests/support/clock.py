"""Times relative to now, for fixtures that must stay in the future (a fixed date would not)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import eventsourcing.domain

from services.kit.domain.swedish_time import LOCAL
from services.scheduling.application import SchedulingApplication


def days_ahead(days: int = 60, hour: int = 17) -> str:
    """RFC 3339 text, ``days`` from today at ``hour`` o'clock UTC."""
    day = datetime.now(UTC) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


# The scheduling fixtures book fixed dates (November 2026 onwards) and a meeting in the past is
# refused: their apps read this as now, a Monday before every one of those dates.
BEFORE_THE_FIXTURES = datetime(2026, 11, 2, 8, 0)


def before_the_fixtures(app: Any) -> Any:
    """``app`` (any service's FastAPI app), its clock pinned to ``BEFORE_THE_FIXTURES`` if it
    is scheduling's: the one service that refuses times in the past."""
    store = app.state.runtime.app
    if isinstance(store, SchedulingApplication):
        store.clock = lambda: BEFORE_THE_FIXTURES
    return app


def day_from_today(days: int = 0) -> str:
    """The Swedish day ``days`` from today, as ``YYYY-MM-DD`` (plausible whenever the suite runs)."""
    return (datetime.now(LOCAL).date() + timedelta(days=days)).isoformat()


class EventClock:
    """When the event-sourcing library stamps stored events (what ``as_of`` reads), moved by a test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def stamping_events_at(monkeypatch: Any, now: datetime) -> EventClock:
    """Stored events stamped at ``now`` (and wherever the test moves it) for this test."""
    fixed = EventClock(now)
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", fixed)
    return fixed
