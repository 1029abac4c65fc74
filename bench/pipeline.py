"""Pipeline benchmark: the whole stack, from a placement to its staff meeting in the case timeline.

Starts the broker and every service as processes (as bench/stack.py does), then
  1. publishes se.placement.started.v1 on ext.placements.v1 paced at --rate per second for
     --seconds, and measures per placement the latency from publish to
       - its own entry in the case timeline, and
       - its staff meeting booked in the case timeline: placement → referrals' auto-referral →
         natverk.referrals.v1 → scheduling books the staff meeting → natverk.scheduling.v1 →
         the case store's se.natverk.meeting.booked.v1 entry,
     waiting at most --timeout seconds after the last publish.  Scheduling books only where
     Uppsala's Network Centre roster has room (late, with a deadline-missed event, once the
     week is full), so how many placements got a meeting at all is reported;
  2. publishes a burst of --burst placements as fast as possible and measures how long until
     all are in the case timeline, and until all their auto-referrals are in referrals' store.
Arrivals are seen by tailing the services' SQLite event stores read-only every ~2 ms.
Prints the figures beside the target and writes bench/results/pipeline-<time>.json.

    .venv/bin/python bench/pipeline.py [--rate 200] [--seconds 20] [--burst 3000] [--timeout 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from eventsourcing.utils import get_topic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# A local stack in development mode (the development token secret), as `make bench` runs it.
os.environ.setdefault("NATVERK_DEV", "1")

from bench.common import new_stack, publish, wait_until, write_results
from bench.pipeline_support import (
    StoreTail,
    completion,
    distinct_pins,
    event_type_among,
    latencies,
    percentiles_ms,
    placements,
)
from bench.stack import PORTS
from services.case_store.domain.timeline import CaseTimeline
from services.referrals.domain.referral import Referral
from services.stack import Stack, available_services

PLACED = "se.placement.started.v1"
BOOKED = "se.natverk.meeting.booked.v1"
LATE = "se.natverk.meeting.staff_meeting_deadline_missed.v1"
REFERRED = "referral"
TARGET_P99_MS, TARGET_RATE = 50.0, 200.0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=200.0, help="paced placements per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to publish paced")
    parser.add_argument("--burst", type=int, default=3000, help="placements in the burst")
    parser.add_argument("--timeout", type=float, default=60.0, help="wait for meetings after the last")
    parser.add_argument("--burst-timeout", type=float, default=300.0, help="wait for the burst")
    return parser.parse_args()


def store_tails(stack: Stack, events: list[dict]) -> tuple[StoreTail, StoreTail]:
    """Tails of the case store's timeline entries and of referrals' received referrals."""
    data, facts = stack.settings.data_dir, [event["data"] for event in events]
    timeline = StoreTail(
        data / "case_store.sqlite",
        (get_topic(CaseTimeline.OpenedWithEntry), get_topic(CaseTimeline.EntryAppended)),  # ADR 0037
        {CaseTimeline.id_for(f["municipality"], f["case_id"]): f["case_id"] for f in facts},
        event_type_among({PLACED, BOOKED, LATE}),
    )
    referrals = StoreTail(
        data / "referrals.sqlite",
        (get_topic(Referral.Received),),
        {Referral.id_for_placement(f["municipality"], f["placement_id"]): f["case_id"] for f in facts},
        lambda _state: REFERRED,
    )
    return timeline, referrals


def paced_phase(stack: Stack, timeline: StoreTail, events: list[dict], args: argparse.Namespace) -> dict:
    sent = asyncio.run(
        publish(stack.settings.kafka_bootstrap, events, rate=args.rate, clock=time.perf_counter)
    )
    cases = list(sent)
    wait_until(lambda: timeline.count(cases, BOOKED) == len(cases), args.timeout)
    return {
        "published": len(cases),
        "publish_seconds": round(max(sent.values()) - min(sent.values()), 2),
        "placement_in_timeline": timeline.count(cases, PLACED),
        "meeting_booked": timeline.count(cases, BOOKED),
        "deadline_missed": timeline.count(cases, LATE),
        "latency_ms": {
            "placement_to_timeline": percentiles_ms(latencies(sent, timeline, PLACED)),
            "placement_to_meeting_booked_in_timeline": percentiles_ms(latencies(sent, timeline, BOOKED)),
        },
        "note": "latencies over the placements that arrived; the others are counted above",
    }


def burst_phase(stack: Stack, tails: tuple[StoreTail, StoreTail], events: list[dict], timeout: float) -> dict:
    timeline, referrals = tails
    sent = asyncio.run(publish(stack.settings.kafka_bootstrap, events, rate=None, clock=time.perf_counter))
    cases, first = list(sent), min(sent.values())
    wait_until(
        lambda: (
            timeline.count(cases, PLACED) == len(cases) and referrals.count(cases, REFERRED) == len(cases)
        ),
        timeout,
    )
    return {
        "placements": len(cases),
        "publish_seconds": round(max(sent.values()) - first, 2),
        "to_timeline": completion(timeline, cases, PLACED, first),
        "to_referrals": completion(referrals, cases, REFERRED, first),
    }


def verdict(paced: dict, rate: float) -> str:
    series = paced["latency_ms"]["placement_to_meeting_booked_in_timeline"]
    if series is None:
        return "missed: no staff meeting booked"
    met = series["p99"] <= TARGET_P99_MS and paced["meeting_booked"] == paced["published"]
    result = "met" if met else "missed"
    return (
        result if rate >= TARGET_RATE else f"{result} (but at {rate:g}/s, not the target's {TARGET_RATE:g}/s)"
    )


def run(args: argparse.Namespace) -> dict:
    tag = uuid.uuid4().hex[:6]
    paced_count = max(1, int(args.rate * args.seconds))
    pins = distinct_pins(paced_count + args.burst)
    paced, burst = placements("P", tag, pins[:paced_count]), placements("B", tag, pins[paced_count:])
    folder = Path(tempfile.mkdtemp(prefix="natverk-bench-pipeline-"))
    stack = new_stack(folder, available_services(), PORTS)
    tails = store_tails(stack, paced + burst)
    try:
        started = time.perf_counter()
        stack.start(timeout=120)
        start_seconds = time.perf_counter() - started
        for tail in tails:
            tail.start()
        paced_figures = paced_phase(stack, tails[0], paced, args)
        burst_figures = burst_phase(stack, tails, burst, args.burst_timeout)
    finally:
        for tail in tails:
            tail.stop()
        stack.stop()
    for tail in tails:
        if tail.error is not None:
            raise RuntimeError(f"tailing {tail.path} failed") from tail.error
    return {"stack_start_seconds": round(start_seconds, 2), "paced": paced_figures, "burst": burst_figures}


def main() -> int:
    args = arguments()
    measured = run(args)
    figures = {
        "when": datetime.now(UTC).isoformat(),
        "settings": {
            "rate_per_s": args.rate,
            "seconds": args.seconds,
            "burst": args.burst,
            "timeout_s": args.timeout,
            "burst_timeout_s": args.burst_timeout,
            "store_poll_ms": 2,
        },
        **measured,
        "target": {
            "p99_ms_placement_to_meeting_booked_in_timeline": TARGET_P99_MS,
            "at_rate_per_s": TARGET_RATE,
            "verdict": verdict(measured["paced"], args.rate),
        },
    }
    write_results("pipeline", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
