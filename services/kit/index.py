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
from collections.abc import Callable, Iterable
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import MapperDeserialisationError
from eventsourcing.utils import TopicError, get_topic

from services.kit.pages import Paged, PageRequest

if TYPE_CHECKING:  # the store makes indexes of its own (services.kit.access_chains)
    from services.kit.store import ServiceApplication

Row = TypeVar("Row")
CATCH_UP_PAGE = 1000
UNREADABLE = (MapperDeserialisationError, TopicError)  # a stored event whose bytes or topic were altered


class CatchUpIndex(Generic[Row]):
    """``apply(rows, domain_event)`` folds each stored event into ``rows`` (keyed by aggregate id).

    ``events``, if given, are the only event classes ``apply`` looks at: the index then reads,
    decodes and folds only those (the store filters by topic), where it would otherwise
    decode every event of the service to ignore most of them.
    """

    def __init__(
        self,
        app: ServiceApplication,
        apply: Callable[[dict[Any, Row], Any], None],
        events: Iterable[type] = (),
        unreadable: Callable[[dict[Any, Row], Any], None] | None = None,
    ) -> None:
        self._app = app
        self._apply = apply
        # What to make of a stored event that no longer decodes (its bytes or topic altered): by
        # default it stops the index, and whatever asks it fails (no answer from a partial log);
        # an index that reports on the store itself notes it instead and reads on.
        self._unreadable = unreadable
        self._events = frozenset(events)
        self._topics = tuple(sorted(get_topic(event_class) for event_class in self._events))
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
                if not self._events or type(recording.domain_event) in self._events:
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
            covered, batch = notifications_after(self._app, self._position, CATCH_UP_PAGE, self._topics)
            for notification in batch:
                try:
                    domain_event = self._app.mapper.to_domain_event(notification)
                except UNREADABLE:
                    if self._unreadable is None:
                        raise
                    self._unreadable(self._rows, notification)
                    continue
                self._fold(domain_event, notification.id)
            self._position = covered
            if len(batch) < CATCH_UP_PAGE:
                return


def notifications_after(
    app: ServiceApplication, position: int, limit: int, topics: tuple[str, ...]
) -> tuple[int, list[Any]]:
    """Up to ``limit`` notifications after ``position`` of ``topics`` (every topic if none), and
    the position they cover.

    The store filters by topic, so a reader neither reads nor decodes the events it does not
    use (ADR 0029).  Reading up to the newest id taken first lets a page shorter than ``limit``
    cover the other topics' events after its last one: the store assigns ids in commit order
    (SQLite's one writer, the library's table lock on PostgreSQL), as every reader of the log
    already relies on.
    """
    if not topics:
        found = list(app.recorder.select_notifications(position + 1, limit))
        return (found[-1].id if found else position), found
    newest = app.max_notification_id()
    if newest <= position:
        return position, []
    found = list(app.recorder.select_notifications(position + 1, limit, stop=newest, topics=topics))
    return (found[-1].id if len(found) == limit else newest), found


def every_event_of(*aggregates: type) -> tuple[type, ...]:
    """Every event class of ``aggregates``, for an index that replays them whole: an event
    added to one of them later is read too, without anyone having to list it."""
    found: dict[type, None] = {}
    for aggregate in aggregates:
        for name in dir(aggregate):
            value = getattr(aggregate, name)
            if isinstance(value, type) and issubclass(value, DomainEvent):
                found[value] = None
    return tuple(found)


def _made_at(triple: tuple[int, Any, Any]) -> int:
    return triple[0]


def _without_position(triple: tuple[int, Any, Row]) -> tuple[Any, Row]:
    return triple[1], triple[2]
