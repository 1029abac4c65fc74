"""Staff-meeting benchmark: what convening one more staff meeting costs as a roster's weeks fill.

Feeds --referrals referrals to the Network Centre of one municipality, one fetched record at
a time (as paced records arrive), through scheduling's real tracking consumer into a SQLite
store, with the clock held still so every meeting competes for the same weeks.  Prints the
milliseconds per referral for the first and the last hundred, and their ratio: a slot finder
whose cost grows with the bookings already made shows a ratio well above 1.  Writes the
figures to bench/results/staff-meetings-<time>.json.

    .venv/bin/python bench/staff_meetings.py [--referrals 450]

Uppsala's roster (one coordinator, 08:00-16:30) has room for about 470 staff meetings within
the slot finder's 90-day horizon; the default stays below it, so every referral is booked.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("NATVERK_DEV", "1")

from bench.common import percentile, write_results
from contracts.topics import REFERRALS
from services.scheduling.application import SchedulingApplication
from services.scheduling.inbound import referral_consumer
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.referral_records import referral_received

WINDOW = 100


async def convene(referrals: int, folder: Path) -> list[float]:
    """Each referral's time through the consumer, in milliseconds, in arrival order."""
    app = SchedulingApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "s.sqlite")}
    )
    app.clock = lambda: datetime(2026, 11, 23, 8, 0)
    app.seed_default_roster()
    consumer, _ = in_process_consumer(app, referral_consumer(app), "bench")
    took = []
    for sequence in range(1, referrals + 1):
        referral_id = str(uuid.uuid4())
        value = referral_received(f"B-{referral_id[:8]}", referral_id, sequence)
        started = time.perf_counter()
        await consumer.handle([value], FakeMessage((FakeRecord(value, offset=sequence, topic=REFERRALS),)))  # type: ignore[arg-type]
        took.append((time.perf_counter() - started) * 1000)
    booked = len(app._open_meetings("0380"))
    app.close()
    if booked != referrals:
        raise SystemExit(f"{booked} staff meetings booked for {referrals} referrals")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=450)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        took = asyncio.run(convene(args.referrals, Path(folder)))
    first, last = took[:WINDOW], took[-WINDOW:]
    write_results(
        "staff-meetings",
        {
            "referrals": args.referrals,
            "ms_per_referral_first_100": round(statistics.mean(first), 2),
            "ms_per_referral_last_100": round(statistics.mean(last), 2),
            "last_to_first": round(statistics.mean(last) / statistics.mean(first), 2),
            "p99_ms_last_100": round(percentile(last, 0.99), 2),
            "referrals_per_second": round(len(took) / (sum(took) / 1000), 1),
        },
    )


if __name__ == "__main__":
    main()
