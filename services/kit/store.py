"""Event-store wiring: the eventsourcing library on SQLite (default) or PostgreSQL.

Each service has its own store: one SQLite file under ``data_dir`` or one
PostgreSQL schema named after the service.  Services never read each other's.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.application import Application, ProcessingEvent, Repository
from eventsourcing.persistence import (
    IntegrityError,
    ProcessRecorder,
    Recording,
    Tracking,
    Transcoder,
)

from services.kit.access_chains import AccessChains
from services.kit.attribution import Attribution
from services.kit.case_data import CaseDataLookups
from services.kit.only_writer import OnlyWriter
from services.kit.store_setup import open_store, store_environment
from services.kit.transcoding import DateAsISO
from services.kit.unit_of_work import AttributedProcessingEvent, UnitOfWorkRepository

__all__ = ["IntegrityError", "ServiceApplication", "Tracking", "open_store", "store_environment"]


class ServiceApplication(CaseDataLookups, OnlyWriter, Application[Any]):
    """An eventsourcing Application whose recorder also records tracking (per name, the highest
    position processed: the relay's own progress and each upstream source's notification ids)."""

    recorder: ProcessRecorder

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self._work = threading.local()
        self._in_flight = 0
        self._idle = threading.Condition()
        super().__init__(env)
        self._after_save: list[Callable[[], None]] = []
        self._after_record: list[Callable[[list[Recording[Any]]], None]] = []
        self.access_chains = AccessChains(self)
        self._stored_ids: set[Any] | None = None  # what this process stored, when it is the only writer
        self._aggregates_kept = 0

    async def run_blocking(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run a blocking store call in a worker thread that ``close`` waits for.

        Cancelling the awaiting task does not stop the thread; closing the
        store under a running SQLite call crashes the interpreter.
        """
        return await asyncio.to_thread(self._tracked, function, *args)

    def _tracked(self, function: Callable[..., Any], *args: Any) -> Any:
        with self._idle:
            self._in_flight += 1
        try:
            return function(*args)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def close(self, timeout: float = 30.0) -> None:
        """Close the store once no worker thread is inside it any more."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)
        super().close()

    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_repository(self) -> Repository[Any]:
        cache_maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        repository = UnitOfWorkRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(cache_maxsize) if cache_maxsize else None,
        )
        repository.pending = self._pending_aggregates
        return repository

    @contextmanager
    def acting_as(self, attribution: Attribution) -> Iterator[None]:
        """Every event saved inside (on this thread) is attributed to ``attribution``."""
        previous = getattr(self._work, "attribution", None)
        self._work.attribution = attribution
        try:
            yield
        finally:
            self._work.attribution = previous

    def current_attribution(self) -> Attribution:
        """Who is acting on this thread: set by the kit's command path, else this service itself."""
        return getattr(self._work, "attribution", None) or Attribution.system(self.name)

    def current_work(self) -> object | None:
        """The unit of work this thread is in, if any (see ``unit_of_work``)."""
        return getattr(self._work, "current", None)

    def _pending_aggregates(self) -> dict[Any, Any] | None:
        work: ProcessingEvent[Any] | None = getattr(self._work, "current", None)
        return work.aggregates if work is not None else None

    @contextmanager
    def unit_of_work(self, tracking: Tracking | None = None) -> Iterator[None]:
        """Every ``save`` inside is stored in one transaction at the end (with ``tracking``).

        Used to process a fetched batch of records at once; if anything inside raises,
        nothing is stored.
        """
        if getattr(self._work, "current", None) is not None:
            raise RuntimeError("units of work do not nest")
        work = AttributedProcessingEvent(tracking)
        self._work.current = work
        try:
            yield
        finally:
            self._work.current = None
        self._store(work)
        for callback in work.after_commit:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the current unit of work is stored (at once outside one).

        Metrics and other side effects must count what was stored, not what a command that
        later failed (503, a conflict, a replayed key) was about to store.
        """
        work: AttributedProcessingEvent | None = getattr(self._work, "current", None)
        if work is None:
            callback()
        else:
            work.after_commit.append(callback)

    def on_saved(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after every save (the relay uses it to wake up at once)."""
        self._after_save.append(callback)

    def exists(self, aggregate_id: Any) -> bool:
        if self._stored_ids is None:
            return super().exists(aggregate_id)
        pending = self._pending_aggregates() or {}
        return aggregate_id in self._stored_ids or aggregate_id in pending

    def save(self, *objs: Any, tracking: Tracking | None = None, **kwargs: Any) -> Any:
        """Store the objects' new events and, atomically with them, ``tracking`` (if any).

        Inside a unit of work the events are only collected; the work stores them.
        """
        work: AttributedProcessingEvent | None = getattr(self._work, "current", None)
        if work is not None:
            work.collect_attributed(self.current_attribution(), *objs, **kwargs)
            return []
        processing_event = AttributedProcessingEvent(tracking)
        processing_event.collect_attributed(self.current_attribution(), *objs, **kwargs)
        return self._store(processing_event)

    def on_recorded(self, callback: Callable[[list[Recording[Any]]], None]) -> None:
        """Run ``callback`` with what this process has just stored (read models follow it)."""
        self._after_record.append(callback)

    def _store(self, processing_event: ProcessingEvent[Any]) -> Any:
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        for follow in self._after_record:
            follow(recordings)
        for callback in self._after_save:
            callback()
        return recordings

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    def is_tracked(self, tracking: Tracking | None) -> bool:
        if tracking is None:
            return False
        return self.recorder.has_tracking_id(tracking.application_name, tracking.notification_id)

    def max_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    def check_store(self) -> None:
        """Raise if the store cannot be read (for /readyz)."""
        self.recorder.max_notification_id()
