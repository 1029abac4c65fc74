"""How far the relay got, and noticing a broker that lost what it had acknowledged (ADR 0012).

Positions live in the store's tracking table: the last published notification id per epoch, and
the highest offset the broker acknowledged per topic partition.  When the broker later hands out an
offset at or below one it acknowledged, or reports such a partition empty or missing, it has lost
records: a new epoch republishes the whole log.  A batch that fails after reaching the producer
goes out again in a new epoch too, from its own start.  An epoch is stored before it is used."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from eventsourcing.persistence import Tracking

from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.relay_lease import Lease
from services.kit.store import ServiceApplication

EPOCH_NAME = "relay-epoch"
PROBE_INTERVAL = 2.0  # seconds between two looks at the partitions' ends
# Notifications of events a service keeps to itself that the relay may cover without recording it:
# after a crash they are read again (and published never).  Recording each batch's cover was a commit
# after every save, a relay cycle's largest cost during the case store's ingest (docs/performance.md).
PRIVATE_GAP = 5_000
EndOffsets = Callable[[list[tuple[str, int]]], Awaitable[dict[tuple[str, int], int]]]

log = get_logger(__name__)


class RelayPositions:
    """Mixed into ``Relay``, which sets these attributes."""

    _app: ServiceApplication
    _metrics: ServiceMetrics
    _acked: dict[tuple[str, int], int]
    _end_offsets: EndOffsets | None
    _on_broker_reset: Callable[[], Awaitable[None]] | None
    epoch: int
    leader: bool
    _lease: Lease | None
    _covered: int  # how far the relay got over private events, beyond what it recorded
    _recorded: int  # the position this process last recorded (0: none yet)
    _next_probe: float  # loop time of the next look at the partitions' ends
    _epoch_owed_from: int | None = None  # a batch failed part-way: the new epoch it is owed, from its start

    # -- positions, kept in the store's tracking table --------------------------------
    def _read_epoch(self) -> int:
        return self._app.recorder.max_tracking_id(EPOCH_NAME) or 0

    @property
    def _position_name(self) -> str:
        return position_name_in(self.epoch)

    def _offset_name(self, topic: str, partition: int) -> str:
        return f"{self._position_name}@{topic}/{partition}"

    def position(self) -> int:
        """How far the relay got: the recorded position, or further, over private events only."""
        return max(self._app.recorder.max_tracking_id(self._position_name) or 0, self._covered)

    def _record_progress(self, last: int, offsets: dict[tuple[str, int], int]) -> None:
        """Each partition's acknowledged offset and the position, in one transaction: together or
        not at all, and one commit (an fsync) per batch where there was one per row."""
        rows = [
            Tracking(self._offset_name(topic, partition), offset + 1)
            for (topic, partition), offset in offsets.items()
        ]
        insert_trackings(self._app.recorder, [*rows, Tracking(self._position_name, last)])
        self._recorded = last

    async def _cover_private(self, last: int) -> None:
        """Up to ``last`` the log held only events the service keeps to itself: covered in memory,
        recorded once ``PRIVATE_GAP`` notifications are covered so (or with the next publish)."""
        self._covered = last
        if last - self._recorded >= PRIVATE_GAP:
            await self._app.run_blocking(self._record_progress, last, {})
        await self.update_lag(last)

    def _forget_cover(self) -> None:  # a new epoch or a lease taken: positions read from the store afresh
        self._covered = self._recorded = 0

    def _load_acked(self, partitions: list[tuple[str, int]]) -> None:
        for topic, partition in partitions:
            stored = self._app.recorder.max_tracking_id(self._offset_name(topic, partition))
            if stored:
                self._acked[(topic, partition)] = stored - 1

    def measure_lag(self) -> None:
        """Stored minus published, from the store (a blocking job the runtime runs every few seconds)."""
        if self.leader:
            self._metrics.relay_lag.set(max(self._app.max_notification_id() - self.position(), 0))

    async def update_lag(self, position: int | None = None) -> None:
        """Stored minus published: kept moving while the broker is away, so the lag alert can fire."""
        published = position if position is not None else await self._app.run_blocking(self.position)
        newest = await self._app.run_blocking(self._app.max_notification_id)
        self._metrics.relay_lag.set(max(newest - published, 0))


def position_name_in(epoch: int) -> str:
    return "relay" if epoch == 0 else f"relay#{epoch}"


def insert_trackings(recorder: Any, trackings: list[Tracking]) -> None:
    """Several tracking rows in one transaction.  The library's public ``insert_tracking`` commits each
    row alone; its per-cursor insert is the one its ``insert_events`` uses (the lock file pins it)."""
    with recorder.datastore.transaction(commit=True) as cursor:
        for tracking in trackings:
            recorder._insert_tracking(cursor, tracking)


def highest_offsets(acknowledged: list[Any]) -> dict[tuple[str, int], int]:
    offsets: dict[tuple[str, int], int] = {}
    for metadata in acknowledged:
        key = (metadata.topic, metadata.partition)
        offsets[key] = max(offsets.get(key, -1), metadata.offset)
    return offsets
