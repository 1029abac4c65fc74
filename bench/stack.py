"""Stack benchmark: start time of the whole stack and resident memory (RSS) per service.

Starts the broker and every service as processes (as `make up` does), times until
every /readyz answers 200, pushes N placement events through (so every service
has done real work), then reads each process's VmRSS from /proc.  Prints the
figures and writes them to bench/results/stack-<time>.json.

    .venv/bin/python bench/stack.py [--events 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# A local stack in development mode (the development token secret), as `make bench` runs it.
os.environ.setdefault("NATVERK_DEV", "1")

from bench.ingest import processed, publish
from services.kit.settings import ServiceSettings
from services.stack import Stack, available_services
from tests.support.events import placement_started, valid_pin
from tests.support.ports import free_port

RESULTS = Path(__file__).parent / "results"
PORTS = ("referrals_port", "scheduling_port", "network_support_port", "collaboration_port", "case_store_port")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="natverk-bench-stack-"))
    ports = {field: free_port() for field in PORTS}
    bootstrap = f"127.0.0.1:{free_port()}"
    settings = ServiceSettings(data_dir=folder, kafka_bootstrap=bootstrap, **ports)
    env = {
        "NATVERK_DATA_DIR": str(folder),
        "NATVERK_KAFKA_BOOTSTRAP": bootstrap,
        "NATVERK_LOG_LEVEL": "WARNING",
        **{f"NATVERK_{k.upper()}": str(v) for k, v in ports.items()},
    }
    stack = Stack(settings, available_services(), extra_env=env)
    started = time.perf_counter()
    stack.start(timeout=120)
    start_seconds = time.perf_counter() - started
    try:
        rss_idle = {name: round(rss_mb(p.pid), 1) for name, p in stack.processes.items() if name != "broker"}
        events = [
            placement_started(
                f"0380-S{i}-{int(time.time())}", f"P-S{i}", pin=valid_pin(i), school_change=True
            )
            for i in range(args.events)
        ]
        asyncio.run(publish(bootstrap, events, rate=None))
        with httpx.Client(timeout=30) as client:
            deadline = time.monotonic() + 300
            while processed(client, stack) < args.events and time.monotonic() < deadline:
                time.sleep(0.2)
        time.sleep(2)  # let the other services' consumers and relays settle
        rss_loaded = {
            name: round(rss_mb(p.pid), 1) for name, p in stack.processes.items() if name != "broker"
        }
    finally:
        stack.stop()
    figures = {
        "when": datetime.now(UTC).isoformat(),
        "services": available_services(),
        "stack_start_seconds": round(start_seconds, 2),
        "events": args.events,
        "rss_mb_after_start": rss_idle,
        "rss_mb_after_events": rss_loaded,
        "max_rss_mb": max(rss_loaded.values()),
        "target_max_rss_mb": 150,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"stack-{datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
