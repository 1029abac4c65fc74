"""What every collaboration use case shares."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from services.kit.store import ServiceApplication


class PoolApplication(ServiceApplication):
    def find(self, aggregate_id: Any) -> Any | None:
        """The aggregate, or None when there is none under that id."""
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
