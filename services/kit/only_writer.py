"""A process that alone writes to its empty store (a rebuild): what it saved is what is stored.

Mixed into ``ServiceApplication``.  Being the only writer lets it keep the aggregates it saved
and answer "does this aggregate exist?" from the ids it stored, without a store read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.application import LRUCache, Repository
from eventsourcing.persistence import Recording


class OnlyWriter:
    repository: Repository[Any]
    _stored_ids: set[Any] | None
    _aggregates_kept: int
    max_notification_id: Callable[[], int]
    on_recorded: Callable[[Callable[[list[Recording[Any]]], None]], None]

    def become_only_writer(self, aggregates_kept: int) -> None:
        """From now on this process alone writes to its store, which is empty: what it saved is
        what is stored.  The aggregates it saves are kept (up to ``aggregates_kept``) and handed
        back as they are, and whether an aggregate exists is answered without a store read."""
        if self.max_notification_id():
            raise RuntimeError("only an empty store can have this process as its only writer")
        self.repository.fastforward = False
        self.repository.deepcopy_from_cache = False
        self._aggregates_kept = aggregates_kept
        self.forget_kept_aggregates()
        self._stored_ids = set()
        self.on_recorded(self._remember_stored)

    @property
    def is_only_writer(self) -> bool:
        return self._stored_ids is not None

    def forget_kept_aggregates(self) -> None:
        """After a failed unit of work, kept aggregates may hold changes that were never stored."""
        self.repository.cache = LRUCache(maxsize=self._aggregates_kept)

    def kept_aggregate(self, aggregate_id: Any) -> Any | None:
        """The aggregate as this process, its store's only writer, last saved it; None if not kept."""
        if self._stored_ids is None or self.repository.cache is None:
            return None
        try:
            return self.repository.cache.get(aggregate_id)
        except KeyError:
            return None

    def _remember_stored(self, recordings: list[Recording[Any]]) -> None:
        if self._stored_ids is not None:
            self._stored_ids.update(r.domain_event.originator_id for r in recordings)
