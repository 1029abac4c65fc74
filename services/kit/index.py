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
        self._caught_up_for: object | None = None
        self._lock = threading.Lock()
        app.on_recorded(self._absorb)

    def rows(self) -> list[Row]:
        return [row for _, row in self.items()]

    def items(self) -> list[tuple[Any, Row]]:
        """(aggregate id, row) pairs, caught up with the notification log."""
        with self._lock:
            self._catch_up()
            return list(self._rows.items())

    def holds(self, aggregate_id: Any, work: object) -> bool:
        """Whether ``aggregate_id`` has a row, catching up only once per unit of ``work``.

        Lets a batch skip the store read for ids it has never seen.  The answer can be stale
        by what other processes stored since the batch began, so callers must rely on the
        store refusing a second creation (a version conflict) rather than on this alone.
        """
        with self._lock:
            if self._caught_up_for is not work:
                self._catch_up()
                self._caught_up_for = work
            return aggregate_id in self._rows

    def _absorb(self, recordings: list[Any]) -> None:
        """Fold what this process just stored without reading it back, if nothing came between.

        Only a run that continues exactly where the index stands is taken: events another
        process stored in between would otherwise be skipped, so those are left to the
        next catch-up from the notification log.
        """
        with self._lock:
            ids = [r.notification.id for r in recordings]
            if not ids or ids[0] != self._position + 1 or ids != list(range(ids[0], ids[0] + len(ids))):
                return
            for recording in recordings:
                self._apply(self._rows, recording.domain_event)
            self._position = ids[-1]

    def _catch_up(self) -> None:
        while True:
            batch = self._app.recorder.select_notifications(self._position + 1, 1000)
            for notification in batch:
                self._apply(self._rows, self._app.mapper.to_domain_event(notification))
                self._position = notification.id
            if len(batch) < 1000:
                return
