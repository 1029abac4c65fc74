"""Rebuilding the case store from the topics (``natverk rebuild``).

A reader outside any consumer group (``topic_reader.py``) takes every partition of every
topic the case store reads, from its beginning to its end as it was at the start.  Its
records go, a few thousand at a time, through the kit's own path: routed as the service's
consumer routes them (``RecordRouter``) and applied by its ``RecordApplier``, one
transaction per run of a partition's records with their tracking position.  A bad record is
only counted (the live service dead-lettered it already).  At the end every rebuilt chain is
held against the latest checkpoint (``compare_with_checkpoint``), and, if asked, the reader's
positions become the service's consumer-group offsets (``hand_over.py``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from services.kit.routing import RecordRouter
from services.kit.settings import ServiceSettings
from services.kit.trust import SourceBinding
from services.ops.hand_over import hand_over
from services.ops.replay import OUTCOMES, Replay, collecting_less
from services.ops.topic_reader import TopicReader

if TYPE_CHECKING:
    from services.case_store.application import CaseStoreApplication
    from services.case_store.checkpoints import CheckpointStanding

BATCH_RECORDS = 5000  # per fetch; one transaction per partition's run of them


NAMED_AT_MOST = 100  # chains named per kind of difference; the counts are whole
NOT_RESTORED = (
    "the case store's own access records (reads it served itself) travel on no topic: the access "
    "logs that held them are rebuilt without them, so they differ from the checkpoint"
)


def compare_with_checkpoint(app: CaseStoreApplication, standing: CheckpointStanding | None) -> dict[str, Any]:
    """Every rebuilt chain re-checked from its records and held against the latest checkpoint of the
    live store (``standing``): identical, or named (ADR 0019).

    A rebuilt timeline holds the same entries, but in the order this reader met them across
    topics and with this run's recording times, so its hashes differ from the live chain's
    unless both orders and times agree: such chains are named as differing, not as broken.
    """
    rebuilt, broken = {}, []
    for chain_id, _ in app.chains.heads():
        head, verification = app.chains.check(chain_id)
        if head is None or verification is None:
            continue
        rebuilt[head.chain] = head
        if not verification.ok:
            broken.append(_label(head.chain))
    latest = standing.latest if standing is not None else None
    signed = {head.chain: head for head in latest.heads} if latest else {}
    differing = sorted(_label(c) for c, head in rebuilt.items() if c in signed and signed[c] != head)
    missing = sorted(_label(c) for c in signed if c not in rebuilt and signed[c].length > 0)
    return {
        "checkpoint": latest.summary.issued_at if latest else None,
        "chains": len(rebuilt),
        "broken": sorted(broken),
        "identical": sum(1 for c, head in rebuilt.items() if signed.get(c) == head),
        "differing": len(differing),
        "differing_chains": differing[:NAMED_AT_MOST],
        "missing": len(missing),
        "missing_chains": missing[:NAMED_AT_MOST],
        "not_in_checkpoint": sum(1 for c in rebuilt if c not in signed),
        "not_restored": NOT_RESTORED,
    }


def _label(chain: tuple[str, str, str]) -> str:
    kind, municipality, case_id = chain
    return f"{municipality}/{case_id} {kind}"


async def rebuild_case_store(
    settings: ServiceSettings,
    *,
    hand_over_positions: bool = False,
    checkpoints: CheckpointStanding | None = None,
    batch_records: int = BATCH_RECORDS,
    timeout: float = 600.0,
) -> dict[str, Any]:
    """Replay every topic the case store reads into the empty store ``settings`` name.

    Returns what became of the records, the time taken, the timelines, the broken chains and
    the comparison with ``checkpoints`` (the live store's); with ``hand_over_positions`` the case store's consumer group
    then carries on from where the rebuild stopped (the service must be stopped).
    """
    from services.case_store import SERVICE
    from services.case_store.application import CaseStoreApplication
    from services.case_store.inbound import consumers
    from services.kit.store import open_store

    started = time.monotonic()
    app = open_store(CaseStoreApplication, settings, SERVICE)
    try:
        specs = consumers(app)
        replay = Replay(app, RecordRouter(specs, SourceBinding(settings.inbound_sources)))
        topics = [spec.topic for spec in specs]
        reader = TopicReader(settings.kafka_bootstrap, topics, settings, batch_records, timeout)
        with collecting_less() as settle:
            async with reader:
                async for partitions in reader.batches():
                    await app.run_blocking(replay.apply, partitions)
                    settle()
        elapsed = time.monotonic() - started
        compared = await app.run_blocking(compare_with_checkpoint, app, checkpoints)
        timelines = len(await app.run_blocking(app.cases))  # (municipality, case id): ADR 0016
    finally:
        app.close()
    group = await hand_over(settings, SERVICE, reader.positions) if hand_over_positions else None
    records = sum(replay.counts.values())
    return {
        "records": records,
        **{outcome: replay.counts[outcome] for outcome in OUTCOMES},
        "seconds": round(elapsed, 3),
        "records_per_second": round(records / elapsed, 1) if elapsed else None,
        "timelines": timelines,
        "broken": len(compared["broken"]),
        "checkpoint": compared,
        "handed_over_to": group,
    }
