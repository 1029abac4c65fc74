"""What every collaboration use case shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from services.kit.store import ServiceApplication


def _now() -> datetime:
    return datetime.now(UTC)


class PoolApplication(ServiceApplication):
    clock: Callable[[], datetime] = staticmethod(_now)
    hold_lifetime = timedelta(hours=336)  # an accepted offer keeps its place this long (settings)

    def find(self, aggregate_id: Any) -> Any | None:
        """The aggregate, or None when there is none under that id."""
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
