"""How far the relay got, and noticing a broker that lost what it had acknowledged (ADR 0012).

Positions live in the store's tracking table: the last published notification id per epoch, and
the highest offset the broker acknowledged per topic partition.  When the broker later hands out an
offset at or below one it acknowledged, or reports such a partition empty or missing, it has lost
records: a new epoch republishes the whole log.  A batch that fails after reaching the producer
goes out again in a new epoch too, from its own start.  An epoch is stored before it is used."""

from __future__ import annotations

import asyncio
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
        return _position_name_in(self.epoch)

    def _offset_name(self, topic: str, partition: int) -> str:
        return f"{self._position_name}@{topic}/{partition}"

    def _starting_position(self) -> int:
        """Where the next batch starts.  A new epoch a batch that failed part-way is owed is stored
        first: nothing is published again in the epoch it failed in (ADR 0012 addendum)."""
        if self._epoch_owed_from is not None:
            self._store_owed_epoch(self._epoch_owed_from)
        return self.position()

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

    async def _probe_now_and_then(self) -> None:
        loop_time = asyncio.get_running_loop().time()
        if loop_time >= self._next_probe:
            self._next_probe = loop_time + PROBE_INTERVAL
            await self.check_broker()

    async def check_broker(self) -> None:
        """Compare each partition's end with what the broker acknowledged before."""
        if self._end_offsets is None or not self._acked:
            return
        ends = await self._end_offsets(list(self._acked))
        # Only an empty or missing partition counts as loss: the local broker reports the end of
        # a partition written in multi-record batches below the last acknowledged offset, so
        # "end <= acknowledged" would rewind for nothing.  Partial loss shows up as offset
        # regression on the next publish instead.
        if any(ends.get(tp, 0) == 0 for tp in self._acked):
            await self._start_new_epoch("a partition ends below records the broker acknowledged")

    async def _start_new_epoch(self, why: str) -> None:
        log.warning("broker lost published records; republishing the whole log", reason=why)
        if self._on_broker_reset is not None:
            await self._on_broker_reset()
        # Stored before it is taken on: a relay must never publish in an epoch the store does not hold
        # (after a restart it would go on in the stored one, below what consumers tracked).
        await self._app.run_blocking(self._app.recorder.insert_tracking, Tracking(EPOCH_NAME, self.epoch + 1))
        self.epoch += 1
        self._acked.clear()
        self._forget_cover()
        self._metrics.relay_rewinds.inc()

    async def _publish_again_in_new_epoch(self, start: int) -> None:
        """A batch failed after some of its records reached the producer.  The producer may have
        failed one request batch of a partition and sent the next, leaving later records on the log
        without earlier ones; a consumer that read a later one tracks past the earlier ones, and
        would skip them when republished in this epoch.  So the batch goes out again in a new epoch,
        whose positions rank above all of this one (ADR 0012).  What came before it was acknowledged
        in order and is not published again; the broker lost nothing, so its offsets stay known.
        Owed until stored: if the store cannot take it now, the next batch stores it first."""
        owed = self._epoch_owed_from
        self._epoch_owed_from = start if owed is None else min(owed, start)
        await self._app.run_blocking(self._store_owed_epoch, self._epoch_owed_from)

    def _store_owed_epoch(self, start: int) -> None:
        """Store the new epoch, its position ``start`` and the acknowledged offsets under its names,
        in one transaction; only then publish in it (a worker thread's job)."""
        epoch = self.epoch + 1
        position = _position_name_in(epoch)
        rows = [Tracking(EPOCH_NAME, epoch), *([Tracking(position, start)] if start else [])]
        rows += [Tracking(f"{position}@{t}/{p}", offset + 1) for (t, p), offset in self._acked.items()]
        insert_trackings(self._app.recorder, rows)
        self.epoch, self._epoch_owed_from = epoch, None
        self._covered = self._recorded = start
        self._metrics.relay_batches_again.inc()
        log.warning("relay batch failed part-way; publishing it again in a new epoch", epoch=epoch)

    async def _lead(self, partitions: list[tuple[str, int]]) -> bool:
        """Hold the lease; on taking it, read the epoch and acknowledged offsets from the store afresh."""
        if self._lease is None:
            if not self.leader:
                await self._app.run_blocking(self._load_acked, partitions)
                self.leader = True
            return True
        held = await self._app.run_blocking(self._lease.hold)
        if held and not self.leader:
            self.epoch = await self._app.run_blocking(self._read_epoch)
            self._acked.clear()
            self._forget_cover()
            await self._app.run_blocking(self._load_acked, partitions)
            log.info("relay took the lease", epoch=self.epoch)
        self.leader = held
        self._metrics.relay_leader.set(1 if held else 0)
        return held

    def measure_lag(self) -> None:
        """Stored minus published, from the store (a blocking job the runtime runs every few seconds)."""
        if self.leader:
            self._metrics.relay_lag.set(max(self._app.max_notification_id() - self.position(), 0))

    async def update_lag(self, position: int | None = None) -> None:
        """Stored minus published: kept moving while the broker is away, so the lag alert can fire."""
        published = position if position is not None else await self._app.run_blocking(self.position)
        newest = await self._app.run_blocking(self._app.max_notification_id)
        self._metrics.relay_lag.set(max(newest - published, 0))


def _position_name_in(epoch: int) -> str:
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
