"""What the benches share: a stack on free ports, publishing placements, waiting, percentiles, results.

Imported by the bench scripts after they put the repository on ``sys.path``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer

from contracts.topics import PLACEMENTS
from services.kit.settings import ServiceSettings
from services.stack import Stack
from tests.support.broker import produce_records
from tests.support.events import encode
from tests.support.ports import free_port

RESULTS = Path(__file__).parent / "results"


def new_stack(folder: Path, services: list[str], port_fields: Iterable[str]) -> Stack:
    """``services`` (and the broker) on free ports (``port_fields`` of the settings), data in ``folder``."""
    ports = {field: free_port() for field in port_fields}
    bootstrap = f"127.0.0.1:{free_port()}"
    settings = ServiceSettings(data_dir=folder, kafka_bootstrap=bootstrap, **ports)
    env = {
        "NATVERK_DATA_DIR": str(folder),
        "NATVERK_KAFKA_BOOTSTRAP": bootstrap,
        "NATVERK_LOG_LEVEL": "WARNING",
        **{f"NATVERK_{k.upper()}": str(v) for k, v in ports.items()},
    }
    return Stack(settings, services, extra_env=env)


async def publish(
    bootstrap: str, events: list[dict], rate: float | None, clock: Callable[[], float] = time.time
) -> dict[str, float]:
    """Publish on ext.placements.v1 (paced at ``rate`` per second, or as fast as possible).

    Returns each case id's publish time by ``clock`` (epoch seconds unless told otherwise).
    """
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, linger_ms=1)
    await producer.start()
    sent: dict[str, float] = {}
    try:
        started = time.perf_counter()
        for index, event in enumerate(events):
            if rate:
                delay = started + index / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            sent[event["subject"]] = clock()
            await producer.send(PLACEMENTS, encode(event), key=event["subject"].encode())
        await producer.flush()
    finally:
        await producer.stop()
    return sent


async def publish_records(bootstrap: str, records: list[tuple[str, bytes, bytes]]) -> float:
    """Publish (topic, key, value) records as fast as the broker takes them; returns records/s."""
    started = time.perf_counter()
    await produce_records(bootstrap, records)
    return len(records) / (time.perf_counter() - started)


def notification_log_read_rate(app: Any) -> tuple[int, float]:
    """Read the store's whole notification log in pages of 1,000, decoding every event (as a
    rebuild or a catch-up must): (notifications read, per second)."""
    started = time.perf_counter()
    position, read = 0, 0
    while page := app.recorder.select_notifications(position + 1, 1000):
        for notification in page:
            app.mapper.to_domain_event(notification)
        read += len(page)
        position = page[-1].id
    return read, read / (time.perf_counter() - started)


def wait_until(done: Callable[[], bool], timeout: float) -> bool:
    """Poll ``done`` every 50 ms; False if it is still not done after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def write_results(kind: str, figures: dict) -> Path:
    """Print the figures and write them to bench/results/<kind>-<time>.json."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{kind}-{datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    print(f"written to {out}")
    return out
