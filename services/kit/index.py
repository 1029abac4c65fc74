"""A small in-memory read model that follows a service's notification log.

The event store answers "get by id"; listing needs an index.  The index
catches up from the notification log before every query, so it is correct
across replicas and after restarts, and costs one short read when idle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from services.kit.store import ServiceApplication

Row = TypeVar("Row")


class CatchUpIndex(Generic[Row]):
    """``apply(rows, domain_event)`` folds each stored event into ``rows`` (keyed by aggregate id)."""

    def __init__(self, app: ServiceApplication, apply: Callable[[dict[Any, Row], Any], None]) -> None:
        self._app = app
        self._apply = apply
        self._rows: dict[Any, Row] = {}
        self._position = 0
        self._lock = threading.Lock()

    def rows(self) -> list[Row]:
        return [row for _, row in self.items()]

    def items(self) -> list[tuple[Any, Row]]:
        """(aggregate id, row) pairs, caught up with the notification log."""
        with self._lock:
            self._catch_up()
            return list(self._rows.items())

    def _catch_up(self) -> None:
        while True:
            batch = self._app.recorder.select_notifications(self._position + 1, 1000)
            for notification in batch:
                self._apply(self._rows, self._app.mapper.to_domain_event(notification))
                self._position = notification.id
            if len(batch) < 1000:
                return
