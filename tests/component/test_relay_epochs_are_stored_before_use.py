"""A relay never publishes in an epoch its store does not hold (ADR 0012 addendum).

A batch the broker took only in part is owed a new epoch.  If the store cannot take that epoch at
the moment, the relay must not go on in it from memory: after a restart it would read the stored
epoch again, and publish new events below positions consumers have already tracked, which they
skip for good.  The referrals relay on its real store, its producer replaced by a log that keeps
each record's (epoch, sequence) as a consumer tracks it, and refuses the records it is told to.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka.errors import UnknownError

import services.kit.relay_positions as relay_positions
from services.kit.relay import partition_for
from services.referrals.app import build_runtime as build_referrals
from tests.conftest import make_settings
from tests.integration.test_relay_and_timeline import _refer


class PartitionLog:
    """What the broker holds: per partition, the tracked position of each record taken."""

    def __init__(self) -> None:
        self.positions: list[int] = []
        self.refuse: set[str] = set()

    async def send(self, topic: str, partition: int, key: bytes, value: bytes, headers: Any) -> Any:
        taken = asyncio.get_running_loop().create_future()
        if key.decode() in self.refuse:
            self.refuse.discard(key.decode())
            taken.set_exception(UnknownError())
            return taken
        body = json.loads(value)
        self.positions.append((int(body.get("epoch", 0)) << 40) + int(body["sequence"]))
        taken.set_result(SimpleNamespace(topic=topic, partition=partition, offset=len(self.positions) - 1))
        return taken


async def publish_all(runtime: Any) -> None:
    while await runtime.relay.publish_pending():
        pass


async def test_events_made_after_a_restart_are_not_published_below_what_consumers_tracked_when_the_new_epoch_could_not_be_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    same_partition = (f"E-{n}" for n in range(500))
    cases = [c for c in same_partition if partition_for(c.encode(), settings.topic_partitions) == 0][:6]
    log = PartitionLog()
    runtime = build_referrals(settings)
    runtime.relay._send = log.send
    for case in cases[:2]:
        _refer(runtime, case)
    await publish_all(runtime)
    for case in cases[2:4]:
        _refer(runtime, case)
    log.refuse = {cases[2]}  # the batch's first record refused, its second taken
    store_trackings = relay_positions.insert_trackings
    failures = iter([RuntimeError("the store is unreachable")])

    def failing_once(recorder: Any, rows: Any) -> None:
        if (failure := next(failures, None)) is not None:
            raise failure
        store_trackings(recorder, rows)

    monkeypatch.setattr(relay_positions, "insert_trackings", failing_once)
    with pytest.raises(RuntimeError):
        await runtime.relay.publish_pending()
    await publish_all(runtime)  # the batch again, in the epoch it is owed
    again = runtime.relay._metrics.registry.get_sample_value("natverk_relay_batches_published_again_total")
    assert again == 1.0  # for ops: counted once, when the owed epoch was stored
    tracked = max(log.positions)  # what a consumer that read everything tracks
    runtime.app.close()

    restarted = build_referrals(settings)
    restarted.relay._send = log.send
    published_before = len(log.positions)
    for case in cases[4:]:
        _refer(restarted, case)
    await publish_all(restarted)
    after_restart = log.positions[published_before:]
    restarted.app.close()
    assert after_restart and all(position > tracked for position in after_restart), (
        "a consumer would skip records published after the restart"
    )


async def test_a_batch_taken_in_part_when_its_relay_was_stopped_is_published_again_above_what_consumers_tracked(
    tmp_path: Path,
) -> None:
    """The relay is stopped (its task cancelled, as at shutdown; a crash is the same, with no code
    run at all) while it waits for a batch whose first record the broker refused and whose later
    ones it took: the relay that publishes next, after the restart or on the replica that takes the
    lease, publishes on in a new epoch, so the refused record's copy is not skipped."""
    settings = make_settings(tmp_path)
    same_partition = (f"S-{n}" for n in range(500))
    cases = [c for c in same_partition if partition_for(c.encode(), settings.topic_partitions) == 0][:4]
    log = PartitionLog()
    log.refuse = {cases[0]}
    runtime = build_referrals(settings)
    for case in cases:
        _refer(runtime, case)
    last_on_the_log = asyncio.Event()

    async def last_acknowledgement_late(
        topic: str, partition: int, key: bytes, value: bytes, headers: Any
    ) -> Any:
        taken = await log.send(topic, partition, key, value, headers)
        if key.decode() != cases[-1]:
            return taken
        last_on_the_log.set()
        return asyncio.get_running_loop().create_future()  # never acknowledged before the stop

    runtime.relay._send = last_acknowledgement_late
    batch = asyncio.create_task(runtime.relay.publish_pending())
    await last_on_the_log.wait()
    batch.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await batch
    tracked = max(log.positions)  # a consumer read the later records of the partition
    runtime.app.close()

    restarted = build_referrals(settings)
    restarted.relay._send = log.send
    published_before = len(log.positions)
    assert await restarted.relay._lead([])
    await publish_all(restarted)
    again = log.positions[published_before:]
    restarted.app.close()
    assert len(again) == len(cases) and all(position > tracked for position in again)


async def test_a_relay_that_starts_on_a_broker_that_lost_everything_publishes_the_whole_log_again(
    tmp_path: Path,
) -> None:
    """Starting to lead owes a new epoch from the recorded position; a loss found before that is
    paid (the partitions it had acknowledged are empty) republishes from the start, and the owed
    epoch must not move the start forward again."""
    settings = make_settings(tmp_path)
    cases = [f"L-{n}" for n in range(4)]
    runtime, first = build_referrals(settings), PartitionLog()
    runtime.relay._send = first.send
    for case in cases:
        _refer(runtime, case)
    await publish_all(runtime)
    acknowledged = sorted(runtime.relay._acked)
    runtime.app.close()

    restarted = build_referrals(settings)  # on a fresh broker: nothing of what was acknowledged
    fresh = PartitionLog()
    restarted.relay._send = fresh.send

    async def nothing_at_all(partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        return dict.fromkeys(partitions, 0)

    restarted.relay._end_offsets = nothing_at_all
    restarted.relay._on_broker_reset = None  # the topics exist: this broker is a fake
    assert await restarted.relay._lead(acknowledged)
    await restarted.relay.check_broker()
    await publish_all(restarted)
    restarted.app.close()
    sequences = (1 << 40) - 1
    published = {position & sequences for position in first.positions}
    assert published and {position & sequences for position in fresh.positions} == published
