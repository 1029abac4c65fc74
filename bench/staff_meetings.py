"""Staff-meeting benchmark: what convening one more staff meeting costs as a roster's weeks fill.

Feeds --referrals referrals to the Network Centre of one municipality, one fetched record at
a time (as paced records arrive), through scheduling's real tracking consumer into a SQLite
store, with the clock held still so every meeting competes for the same weeks.  Prints the
milliseconds per referral for the first and the last hundred, and their ratio: a slot finder
whose cost grows with the bookings already made shows a ratio well above 1.  Writes the
figures to bench/results/staff-meetings-<time>.json.

    .venv/bin/python bench/staff_meetings.py [--referrals 450] [--past-weeks 0 [--past-per-week 20]]

``--past-weeks N`` first stores N weeks of history before the clock's week, each with
``--past-per-week`` meetings held then: what a municipality's years of meetings add to the
cost of each booking (held in a week gone by, they fill nothing).

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
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("NATVERK_DEV", "1")

from bench.common import percentile, write_results
from contracts.topics import REFERRALS
from services.scheduling.application import SchedulingApplication
from services.scheduling.domain.meeting import Meeting
from services.scheduling.inbound import referral_consumer
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.referral_records import referral_received

WINDOW = 100
NOW = datetime(2026, 11, 23, 8, 0)  # a Monday: the clock held still
SAVED_AT_ONCE = 500


def store_history(app: SchedulingApplication, weeks: int, per_week: int) -> None:
    """``per_week`` meetings held in each of the ``weeks`` before the clock's, an hour each from
    09:00 on its weekdays, of the coordinator and one other member in turn."""
    staff = [row.staff_id for row in app._active_staff("0380")]
    held: list[Meeting] = []
    for n in range(weeks * per_week):
        week, slot = divmod(n, per_week)
        start = NOW - timedelta(weeks=week + 1) + timedelta(days=slot % 5, hours=1 + slot // 5 % 7)
        meeting = Meeting(
            "0380", f"H-{n}", "staff_meeting", start, start + timedelta(hours=1),
            (staff[0], staff[1 + n % (len(staff) - 1)]), (), None, None, None,
        )  # fmt: skip
        meeting.record_attendance(meeting.staff_ids, "held")
        held.append(meeting)
        if len(held) == SAVED_AT_ONCE:
            app.save(*held)
            held = []
    app.save(*held)


async def convene(referrals: int, folder: Path, past_weeks: int = 0, per_week: int = 20) -> list[float]:
    """Each referral's time through the consumer, in milliseconds, in arrival order."""
    app = SchedulingApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "s.sqlite")}
    )
    app.clock = lambda: NOW
    app.seed_default_roster()
    store_history(app, past_weeks, per_week)
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
    parser.add_argument("--past-weeks", type=int, default=0)
    parser.add_argument("--past-per-week", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        took = asyncio.run(convene(args.referrals, Path(folder), args.past_weeks, args.past_per_week))
    first, last = took[:WINDOW], took[-WINDOW:]
    write_results(
        "staff-meetings",
        {
            "referrals": args.referrals,
            "past_weeks": args.past_weeks,
            "past_meetings_held": args.past_weeks * args.past_per_week,
            "ms_per_referral_first_100": round(statistics.mean(first), 2),
            "ms_per_referral_last_100": round(statistics.mean(last), 2),
            "last_to_first": round(statistics.mean(last) / statistics.mean(first), 2),
            "p99_ms_last_100": round(percentile(last, 0.99), 2),
            "referrals_per_second": round(len(took) / (sum(took) / 1000), 1),
        },
    )


if __name__ == "__main__":
    main()
