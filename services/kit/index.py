"""A small in-memory read model that follows a service's notification log.

The event store answers "get by id"; listing needs an index.  The index
catches up from the notification log before every query, so it is correct
across replicas and after restarts, and costs one short read when idle.

Each row remembers where it was made: the notification id of the event that first
gave it a row.  That is the same in every replica and after a restart, and only grows:
the sort key of lists in order of creation (``page``), whose pages a new row never shifts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from services.kit.pages import Paged, PageRequest

if TYPE_CHECKING:  # the store makes indexes of its own (services.kit.access_chains)
    from services.kit.store import ServiceApplication

Row = TypeVar("Row")


class CatchUpIndex(Generic[Row]):
    """``apply(rows, domain_event)`` folds each stored event into ``rows`` (keyed by aggregate id)."""

    def __init__(self, app: ServiceApplication, apply: Callable[[dict[Any, Row], Any], None]) -> None:
        self._app = app
        self._apply = apply
        self._rows: dict[Any, Row] = {}
        self._made_at: dict[Any, int] = {}  # aggregate id -> notification id that made its row
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

    def in_creation_order(self) -> list[tuple[int, Any, Row]]:
        """(position made at, aggregate id, row) triples, oldest first, caught up with the log."""
        with self._lock:
            self._catch_up()
            return [(self._made_at[key], key, row) for key, row in self._rows.items()]

    def page(self, request: PageRequest, where: Callable[[Row], bool]) -> Paged[tuple[Any, Row]]:
        """A page of the (aggregate id, row) pairs ``where`` picks, oldest first.

        Only rows are walked: load the page's aggregates afterwards (``Paged.map``).
        """
        picked = ((made_at, key, row) for made_at, key, row in self.in_creation_order() if where(row))
        return request.select(picked, key=_made_at).map(_without_position)

    def holds(self, aggregate_id: Any, work: object) -> bool:
        """Whether ``aggregate_id`` has a row, catching up only once per unit of ``work``.

        Lets a batch skip the store read for ids it has never seen.  The answer can be stale
        by what other processes stored since the batch began, so callers must rely on the
        store refusing a second creation (a version conflict) rather than on this alone.
        """
        with self._lock:
            self._catch_up_once_for(work)
            return aggregate_id in self._rows

    def get(self, key: Any, work: object) -> Row | None:
        """``key``'s row, if any, catching up only once per unit of ``work`` (stale as ``holds``)."""
        with self._lock:
            self._catch_up_once_for(work)
            return self._rows.get(key)

    def _catch_up_once_for(self, work: object) -> None:
        if self._caught_up_for is not work:
            self._catch_up()
            self._caught_up_for = work

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
                self._fold(recording.domain_event, recording.notification.id)
            self._position = ids[-1]

    def _fold(self, domain_event: Any, position: int) -> None:
        rows_before = len(self._rows)
        self._apply(self._rows, domain_event)
        # Rows are only ever added (at the end of the dict), never removed.
        for key in islice(reversed(self._rows), len(self._rows) - rows_before):
            self._made_at.setdefault(key, position)

    def _catch_up(self) -> None:
        while True:
            batch = self._app.recorder.select_notifications(self._position + 1, 1000)
            for notification in batch:
                self._fold(self._app.mapper.to_domain_event(notification), notification.id)
                self._position = notification.id
            if len(batch) < 1000:
                return


def _made_at(triple: tuple[int, Any, Any]) -> int:
    return triple[0]


def _without_position(triple: tuple[int, Any, Row]) -> tuple[Any, Row]:
    return triple[1], triple[2]
