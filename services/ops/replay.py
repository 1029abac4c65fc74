"""Applying a rebuild's records to its fresh store through the kit's path, counting outcomes.

Each partition's records are routed as the service's consumer routes them (``RecordRouter``)
and applied by its ``RecordApplier``: a run of them that shares a tracking name (or has
none) in one transaction with its tracking position.  A failed run is applied one record
at a time, as the consumer does; a record that still fails, or a bad one, is only counted:
the live service dead-lettered it already.

The rebuild is its fresh store's only writer, so what it saved is what is stored: the
aggregates it saved are kept and handed back as they are (no store read, no copy), which
halves its time.  A failed run may have changed some of them in memory only: they are all
forgotten then.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from services.kit.applying import RecordApplier, RecordWork, same_source_runs
from services.kit.consumer import STORE_UNAVAILABLE
from services.kit.logs import get_logger
from services.kit.routing import RecordRouter, Refused
from services.kit.store import ServiceApplication

log = get_logger(__name__)
OUTCOMES = ("processed", "duplicate", "invalid", "ignored", "failed")
AGGREGATES_KEPT = 100_000


class NotAFreshStore(RuntimeError):
    """A rebuild writes into an empty store only."""


class Replay:
    """Applies fetched records to the store and counts what became of each (no dead letters)."""

    def __init__(self, app: ServiceApplication, router: RecordRouter) -> None:
        if app.max_notification_id():
            raise NotAFreshStore("rebuild into an empty store: this one holds events already")
        self._app = app
        self._applier = RecordApplier(app)
        self._router = router
        self.counts: Counter[str] = Counter()
        app.become_only_writer(AGGREGATES_KEPT)

    def _forget_saved_aggregates(self) -> None:
        self._app.forget_kept_aggregates()

    def apply(self, partitions: list[list[Any]]) -> None:
        for records in partitions:
            work = [routed for record in records if (routed := self._route(record)) is not None]
            for tracking_name, run in same_source_runs(work):
                self._apply_run(run, tracking_name)

    def _route(self, record: Any) -> RecordWork | None:
        routed = self._router.route(record)
        if isinstance(routed, Refused):
            self.counts["invalid"] += 1
            return None
        if routed is None:
            self.counts["ignored"] += 1
        return routed

    def _apply_run(self, run: list[RecordWork], tracking_name: str | None) -> None:
        try:
            self.counts.update(self._applier.apply_batch(run, tracking_name))
        except STORE_UNAVAILABLE:
            raise
        except Exception as error:  # noqa: BLE001 - as the consumer does: then one record at a time
            log.info(
                "rebuild batch failed; applying its records one at a time", error_type=type(error).__name__
            )
            self._forget_saved_aggregates()
            for item in run:
                self._apply_one(item)

    def _apply_one(self, item: RecordWork) -> None:
        try:
            self.counts[self._applier.apply_one(item)] += 1
        except STORE_UNAVAILABLE:
            raise
        except Exception as error:  # noqa: BLE001 - counted and reported; the rebuild goes on
            self._forget_saved_aggregates()
            record = item.record
            log.warning(
                "rebuild could not apply a record",
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                error_type=type(error).__name__,
            )
            self.counts["failed"] += 1


@contextmanager
def collecting_less() -> Iterator[Callable[[], None]]:
    """A rebuild's indexes and kept aggregates only grow, and the collector's full passes over
    them took a third of its time: call what this gives after each batch to freeze what
    survived it out of those passes; everything is thawed at the end."""
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
