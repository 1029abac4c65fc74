"""Helpers of bench/pipeline.py: placements and tailing a store (the rest is in bench/common.py).

A ``StoreTail`` reads one service's SQLite event store read-only from the bench process and
notes, for each wanted stored event, when it first saw it (``time.perf_counter``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from bench.common import percentile
from tests.support.events import placement_started, valid_pin

# The eventsourcing library's SQLite table: the notification id is the table's rowid.
TAIL_QUERY = (
    "SELECT rowid, originator_id, state FROM stored_events WHERE rowid > ? AND topic IN (?, ?) ORDER BY rowid"
)
PERCENTILES = {"p50": 0.5, "p90": 0.9, "p99": 0.99, "max": 1.0}


def distinct_pins(count: int) -> list[str]:
    """``count`` different valid pins (``valid_pin`` of two seeds is now and then the same)."""
    pins: dict[str, None] = {}
    seed = 0
    while len(pins) < count:
        pins.setdefault(valid_pin(seed))
        seed += 1
    return list(pins)


def placements(prefix: str, run: str, pins: list[str]) -> list[dict]:
    """Uppsala placements, one per pin, with distinct case ids free of long digit runs."""
    return [
        placement_started(f"0380-{prefix}{i}-{run}", f"P-{prefix}{i}-{run}", pin=pin, school_change=True)
        for i, pin in enumerate(pins)
    ]


class StoreTail(threading.Thread):
    """Polls a store for new rows of one or two event classes; ``seen[(owner, label)]`` = first seen."""

    def __init__(
        self,
        path: Path,
        topics: tuple[str, ...],
        owners: dict[UUID, str],
        label: Callable[[bytes], str | None],
        interval: float = 0.002,
    ) -> None:
        super().__init__(name=f"tail-{path.stem}", daemon=True)
        self.path, self.owners, self.label, self.interval = path, owners, label, interval
        self.topics = (*topics, *topics)[:2]  # the query takes two
        self.seen: dict[tuple[str, str], float] = {}
        self.error: BaseException | None = None
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                self._poll(connection)
            finally:
                connection.close()
        except BaseException as error:  # noqa: BLE001 - reported by the bench after the run
            self.error = error

    def _poll(self, connection: sqlite3.Connection) -> None:
        last = 0
        while not self._halt.is_set():
            rows = connection.execute(TAIL_QUERY, (last, *self.topics)).fetchall()
            now = time.perf_counter()
            for rowid, originator_id, state in rows:
                last = rowid
                owner = self.owners.get(UUID(originator_id))
                label = self.label(state) if owner else None
                if label:
                    self.seen.setdefault((owner, label), now)
            self._halt.wait(self.interval)

    def count(self, owners: list[str], label: str) -> int:
        return sum((owner, label) in self.seen for owner in owners)

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive():
            self.join(timeout=5)


def event_type_among(wanted: set[str]) -> Callable[[bytes], str | None]:
    """A label for timeline entries: the entry's event type, if it is one of ``wanted``."""

    def label(state: bytes) -> str | None:
        event_type = json.loads(state).get("event_type")
        return event_type if event_type in wanted else None

    return label


def latencies(sent: dict[str, float], tail: StoreTail, label: str) -> list[float]:
    return [tail.seen[(case, label)] - at for case, at in sent.items() if (case, label) in tail.seen]


def completion(tail: StoreTail, cases: list[str], label: str, first: float) -> dict:
    arrived = [tail.seen[(case, label)] for case in cases if (case, label) in tail.seen]
    if not arrived:
        return {"arrived": 0, "seconds": None, "per_second": None}
    seconds = max(arrived) - first
    return {
        "arrived": len(arrived),
        "seconds": round(seconds, 2),
        "per_second": round(len(arrived) / seconds, 1),
    }


def percentiles_ms(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {name: round(percentile(values, at) * 1000, 1) for name, at in PERCENTILES.items()}
