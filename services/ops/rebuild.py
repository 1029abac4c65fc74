"""Rebuilding the case store from the topics (``natverk rebuild``)."""

from __future__ import annotations

from typing import Any

from services.kit.settings import ServiceSettings


async def rebuild_case_store(settings: ServiceSettings, timeout: float = 600.0) -> dict[str, Any]:
    """Replay every topic the case store reads into a fresh store (``settings.data_dir`` /
    ``database_url``) under a consumer group of its own; returns counts and the time taken."""
    import asyncio
    import time
    import uuid

    from services.case_store.app import build_runtime

    fresh = settings.model_copy(update={"consumer_group_prefix": f"rebuild-{uuid.uuid4().hex[:8]}-"})
    runtime = build_runtime(fresh)
    started = time.monotonic()
    await runtime.start()
    try:
        topics = sorted(runtime.consumer.specs_topics()) if runtime.consumer else []
        partitions = [(t, p) for t in topics for p in range(settings.topic_partitions)]
        ends = await runtime.offsets.end_offsets(partitions)
        targets = {tp: end for tp, end in ends.items() if end > 0}
        # Caught up = past the end offsets and then quiet for a second (the local broker can
        # report ends below the true ones for batched partitions).
        last_seen, quiet_since = None, time.monotonic()
        while True:
            positions = dict(runtime.consumer.positions)
            if positions != last_seen:
                last_seen, quiet_since = positions, time.monotonic()
            reached = all(positions.get(tp, 0) >= end for tp, end in targets.items())
            if reached and time.monotonic() - quiet_since >= 1.0:
                break
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"not caught up after {timeout:.0f}s")
            await asyncio.sleep(0.2)
        elapsed = quiet_since - started
        records = sum(last_seen.values()) if last_seen else 0
        timelines = len(runtime.app.cases())  # (municipality, case id): ADR 0016
        verified = runtime.app.verify_all()
        return {
            "records": records,
            "seconds": round(elapsed, 2),
            "records_per_second": round(records / elapsed, 1) if elapsed else None,
            "timelines": timelines,
            "broken": sum(not v.ok for v in verified.values()),
        }
    finally:
        await runtime.stop()
