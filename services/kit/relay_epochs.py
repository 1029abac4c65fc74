"""When the relay publishes in a new epoch (ADR 0012 and its addenda): the broker lost records it
had acknowledged (the whole log again), or a batch failed after some of its records reached the
producer (that batch again, from its start).  An epoch is stored before the relay publishes in it,
and owed until then.  Also the lease: only its holder publishes."""

from __future__ import annotations

import asyncio

from eventsourcing.persistence import Tracking

from services.kit import relay_positions as positions
from services.kit.logs import get_logger
from services.kit.relay_positions import EPOCH_NAME, PROBE_INTERVAL, RelayPositions

log = get_logger(__name__)


class RelayEpochs(RelayPositions):
    """Mixed into ``Relay``, as ``RelayPositions`` is."""

    def _starting_position(self) -> int:
        """Where the next batch starts.  A new epoch a batch that failed part-way is owed is stored
        first: nothing is published again in the epoch it failed in (ADR 0012 addendum)."""
        if self._epoch_owed_from is not None:
            self._store_owed_epoch(self._epoch_owed_from)
        return self.position()

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
        self._epoch_owed_from = None  # the whole log goes out again in this one: nothing is owed from later
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
        self._owe_new_epoch(start)
        self._metrics.relay_batches_again.inc()
        log.warning("relay batch failed part-way; publishing it again in a new epoch")
        await self._app.run_blocking(self._store_owed_epoch, self._epoch_owed_from)

    def _owe_new_epoch(self, start: int) -> None:
        owed = self._epoch_owed_from
        self._epoch_owed_from = start if owed is None else min(owed, start)

    def _store_owed_epoch(self, start: int) -> None:
        """Store the new epoch, its position ``start`` and the acknowledged offsets under its names,
        in one transaction; only then publish in it (a worker thread's job)."""
        epoch = self.epoch + 1
        position = positions.position_name_in(epoch)
        rows = [Tracking(EPOCH_NAME, epoch), *([Tracking(position, start)] if start else [])]
        rows += [Tracking(f"{position}@{t}/{p}", offset + 1) for (t, p), offset in self._acked.items()]
        positions.insert_trackings(self._app.recorder, rows)
        self.epoch, self._epoch_owed_from = epoch, None
        self._covered = self._recorded = start
        log.info("relay publishes on in a new epoch", epoch=epoch, start=start)

    async def _lead(self, partitions: list[tuple[str, int]]) -> bool:
        """Hold the lease; on taking it, read the epoch and acknowledged offsets from the store afresh."""
        if self._lease is None:
            if not self.leader:
                await self._take_over(partitions)
                self.leader = True
            return True
        held = await self._app.run_blocking(self._lease.hold)
        if held and not self.leader:
            self.epoch = await self._app.run_blocking(self._read_epoch)
            self._acked.clear()
            self._forget_cover()
            await self._take_over(partitions)
            log.info("relay took the lease", epoch=self.epoch)
        self.leader = held
        self._metrics.relay_leader.set(1 if held else 0)
        return held

    async def _take_over(self, partitions: list[tuple[str, int]]) -> None:
        """Who published before (this relay before a crash or a stop, or the replica that held the
        lease) may have left a batch in part on the log, a partition's later records without its
        earlier ones, with no chance to say so.  So publishing goes on from the recorded position in
        a new epoch, whose records consumers take whatever they read (ADR 0012 addendum)."""
        await self._app.run_blocking(self._load_acked, partitions)
        self._owe_new_epoch(await self._app.run_blocking(self.position))
