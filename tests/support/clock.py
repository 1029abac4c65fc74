"""Times relative to now, for fixtures that must stay in the future (a fixed date would not)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def days_ahead(days: int = 60, hour: int = 17) -> str:
    """RFC 3339 text, ``days`` from today at ``hour`` o'clock UTC."""
    day = datetime.now(UTC) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()
