"""A crash harness on one machine: the whole stack (``services.stack.Stack``: the broker and all five
services as processes on loopback), a load generator with a ledger, and a seeded fault injector.

* The broker listens on one port and advertises a loopback **proxy** (``proxy.py``) in front of
  it, so every Kafka client goes through the proxy, which can cut, hold, slow or black-hole traffic.
* The **load generator** (``load.py``, ``commands.py``) issues commands of every kind at once:
  placements on ``ext.placements.v1``, referrals, network meetings, parent-support sessions and
  family homes over HTTP.  Each outcome goes into the ledger: ok, rejected (4xx) or unknown
  (timeout, connection error, 5xx: retried with the same Idempotency-Key or CloudEvent).
* The **fault injector** (``faults.py``, ``random.Random(seed)``) kills, pauses and freezes
  services past their session timeout, restarts the broker and disturbs connections.
* After healing and quiescing, ``checks.py`` proves the invariants of ARCHITECTURE §2: each
  command's effects once, every record published for the case store recorded once
  (``publications.py``), every hash chain intact.  The run
  fails on any violation, on fewer ok commands of a kind than ``minimum_ok``, or if no fault hit
  while commands were in flight.

    python -m tests.chaos.harness --seconds 600 --seed 7      (what ``make soak`` runs)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from services.kit.settings import ServiceSettings
from services.stack import SERVICES, Stack
from tests.chaos.checks import check
from tests.chaos.commands import KINDS, Command
from tests.chaos.faults import Fault, FaultInjector
from tests.chaos.load import Load
from tests.chaos.proxy import Proxy
from tests.support.ports import free_port

# What a 40 s run on two cores reaches comfortably (it does several times as many).
MINIMUM_OK = {"placement": 30, "referral": 30, "meeting": 30, "parent_support": 20, "home": 30}


@dataclass
class Report:
    seed: int
    ledger: list[Command]
    faults: list[Fault]
    violations: list[str]
    exits: list[str] = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)
    notes: str = ""
    folder: Path = Path()

    @property
    def failures(self) -> list[str]:
        return self.violations + self.shortfalls

    @property
    def commands(self) -> Counter[tuple[str, str]]:
        return Counter((c.kind, c.outcome) for c in self.ledger)

    def text(self) -> str:
        lines = [
            f"seed={self.seed} logs={self.folder}; {self.notes}",
            "commands: ok / unknown / rejected (retried)",
        ]
        for kind in KINDS:
            retried = sum(len(c.attempts) > 1 for c in self.ledger if c.kind == kind)
            counts = [self.commands[(kind, outcome)] for outcome in ("ok", "unknown", "rejected")]
            lines.append(f"  {kind:<15} {counts[0]:5} / {counts[1]:3} / {counts[2]:3} ({retried})")
        by_kind = Counter(f.kind for f in self.faults)
        lines.append(f"faults: {len(self.faults)} {dict(sorted(by_kind.items()))}")
        lines += [f"  {fault}" for fault in self.faults]
        lines += [f"  restarted: {line}" for line in self.exits]
        lines.append(f"violations: {len(self.violations)}")
        lines += [f"  VIOLATION {v}" for v in self.violations[:50]]
        lines += [f"  FAILED {s}" for s in self.shortfalls]
        return "\n".join(lines)


def new_stack(folder: Path) -> tuple[Stack, Proxy]:
    """The stack with its broker behind a proxy: clients bootstrap at the proxy's address."""
    broker_port, proxy_port = free_port(), free_port()
    ports = {f"{service}_port": free_port() for service in SERVICES}
    env = {
        "NATVERK_DEV": "1",
        "NATVERK_DATA_DIR": str(folder / "data"),
        "NATVERK_KAFKA_BOOTSTRAP": f"127.0.0.1:{proxy_port}",
        "NATVERK_RELAY_POLL_INTERVAL_MS": "20",
        **{f"NATVERK_{name.upper()}": str(port) for name, port in ports.items()},
    }
    settings = ServiceSettings(
        dev=True,
        data_dir=folder / "data",
        kafka_bootstrap=env["NATVERK_KAFKA_BOOTSTRAP"],
        relay_poll_interval_ms=20,
        **ports,
    )
    stack = Stack(settings, list(SERVICES), extra_env=env, broker_listen=f"127.0.0.1:{broker_port}")
    return stack, Proxy(proxy_port, broker_port)


async def run(
    seconds: float,
    seed: int,
    folder: Path,
    fault_every: float = 2.5,
    minimum_ok: dict[str, int] | None = None,
) -> Report:
    stack, proxy = new_stack(folder)
    proxy.start()
    try:
        await asyncio.to_thread(stack.start, 120)
        load = Load(stack, seed)
        faults = FaultInjector(stack, proxy, random.Random(seed), load)
        await asyncio.gather(load.run(seconds), faults.run(seconds, fault_every))
        faults.heal()
        await _republish(load)  # once more, healed: nothing may be skipped
        await asyncio.to_thread(stack.wait_ready, 120)
        violations, notes = await check(stack, load.ledger)
    finally:
        await asyncio.to_thread(stack.stop)
        proxy.stop()
    faults.count_in_flight()
    report = Report(seed, load.ledger, faults.log, violations, faults.exits, notes=notes, folder=folder)
    for kind, least in (minimum_ok or MINIMUM_OK).items():
        if (ok := report.commands[(kind, "ok")]) < least:
            report.shortfalls.append(f"only {ok} ok {kind} commands (at least {least} wanted)")
    if not any(fault.in_flight for fault in report.faults):
        report.shortfalls.append("no fault hit while commands were in flight")
    return report


async def _republish(load: Load) -> None:
    for attempt in range(5):
        with contextlib.suppress(Exception):
            await asyncio.wait_for(load.republish(), 30)
            return
        await asyncio.sleep(attempt + 1)
    raise RuntimeError("could not publish the placements again after healing")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--fault-every", type=float, default=2.5, help="mean pause between faults")
    parser.add_argument("--min-ok", type=int, default=None, help="least ok commands of every kind")
    args = parser.parse_args()
    os.environ.setdefault("NATVERK_DEV", "1")  # development tokens, as `make soak` exports
    folder = args.folder or Path(f"var/chaos-{args.seed}")
    folder.mkdir(parents=True, exist_ok=True)
    minimum = None if args.min_ok is None else dict.fromkeys(KINDS, args.min_ok)
    report = asyncio.run(run(args.seconds, args.seed, folder, args.fault_every, minimum))
    print(report.text())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
