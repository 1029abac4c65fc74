"""What every collaboration use case shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from services.collaboration.domain.emergency_waits import EmergencyWaits
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

    def case_waits(self, municipality: str, case_id: str) -> EmergencyWaits:
        """The case's memory of its waits in an emergency home; new (not yet saved) if none."""
        found = self.find(EmergencyWaits.id_for(municipality, case_id))
        return found or EmergencyWaits(municipality=municipality, case_id=case_id)
