"""The fault injector: seeded (``random.Random(seed)``), one fault at a time, every kind in turn
(each round a fresh shuffle of them all), with a pause between faults.

* ``kill``: SIGKILL a service and start it again (a crash).
* ``pause``: SIGSTOP a service for 0.5-2.5 s, then SIGCONT.
* ``zombie``: SIGSTOP a service past its consumers' 6 s session timeout: the group takes its
  partitions away while it is frozen, and it wakes up believing it still has them.
* ``broker``: kill the broker and start a fresh one (it loses every topic, record and offset).
* ``cut``: the proxy aborts every Kafka connection and refuses new ones for 0.5-2 s.
* ``delay``: the proxy holds all Kafka traffic for 1-4 s, then lets it through.
* ``black_hole``: the proxy accepts connections and bytes, forwards nothing for 2-5 s.
* ``slow``: the proxy adds 50-300 ms to every chunk for 2-5 s.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass

from services.stack import Stack
from tests.chaos.load import Load
from tests.chaos.proxy import Proxy

FAULTS = ("kill", "pause", "zombie", "broker", "cut", "delay", "black_hole", "slow")
SESSION_TIMEOUT = 6.0  # services/kit/consumer.py (ADR 0003)


@dataclass
class Fault:
    kind: str
    target: str  # a service, "broker" or "proxy"
    start: float
    end: float = 0.0
    in_flight: int = 0  # command attempts under way while it hit (counted after the run)

    def __str__(self) -> str:
        return f"{self.kind:<10} {self.target:<15} {self.end - self.start:5.1f}s  in flight: {self.in_flight}"


class FaultInjector:
    def __init__(self, stack: Stack, proxy: Proxy, rng: random.Random, load: Load) -> None:
        self.stack, self.proxy, self.rng, self.load = stack, proxy, rng, load
        self.log: list[Fault] = []
        self.exits: list[str] = []  # services that exited by themselves (and were started again)
        self._killing: set[str] = set()
        self._started = time.monotonic()

    async def run(self, seconds: float, every: float) -> None:
        deadline = time.monotonic() + seconds
        order: list[str] = []
        supervisor = asyncio.create_task(self._supervise())
        try:
            while True:
                await asyncio.sleep(self.rng.uniform(0.5, 1.5) * every)
                if time.monotonic() >= deadline - 1:
                    return
                if not order:
                    order = list(FAULTS)
                    self.rng.shuffle(order)
                await self.inject(order.pop())
        finally:
            supervisor.cancel()

    async def _supervise(self) -> None:
        """Start again a service that exited by itself, as ``restart: unless-stopped`` does."""
        while True:
            await asyncio.sleep(0.5)
            for service in set(self.stack.services) - self._killing:
                if (code := self.stack.processes[service].poll()) is not None:
                    self.exits.append(f"{service} exited ({code}) at {time.monotonic() - self._started:.0f}s")
                    self.stack.start_service(service)

    async def inject(self, kind: str) -> Fault:
        service = self.rng.choice(self.stack.services)
        target = service if kind in ("kill", "pause", "zombie") else "broker" if kind == "broker" else "proxy"
        if target == service:
            await self._when_busy(service)
        fault = Fault(kind, target, time.monotonic())
        if kind == "kill":
            self._killing.add(service)
            await asyncio.to_thread(self.stack.kill_service, service)
            self.stack.start_service(service)
            self._killing.discard(service)
        elif kind in ("pause", "zombie"):
            seconds = (
                self.rng.uniform(0.5, 2.5) if kind == "pause" else SESSION_TIMEOUT + self.rng.uniform(1.5, 3)
            )
            await self._freeze(service, seconds)
        elif kind == "broker":
            await asyncio.to_thread(self.stack.restart_broker)
            self.load.broker_lost()
        elif kind == "cut":
            seconds = self.rng.uniform(0.5, 2.0)
            self.proxy.cut(seconds)
            await asyncio.sleep(seconds)
        elif kind == "delay":
            seconds = self.rng.uniform(1.0, 4.0)
            self.proxy.hold(seconds)
            await asyncio.sleep(seconds)
        else:
            if kind == "black_hole":
                self.proxy.black_hole()
            else:
                self.proxy.slow(self.rng.uniform(0.05, 0.3))
            await asyncio.sleep(self.rng.uniform(2.0, 5.0))
            self.proxy.heal()
        fault.end = time.monotonic()
        self.log.append(fault)
        return fault

    async def _when_busy(self, service: str) -> None:
        """Wait (up to 2 s) until a command to ``service`` (to the case store: any) is under way."""
        for _ in range(400):
            in_flight = self.load.in_flight
            if (in_flight[service] if service != "case_store" else sum(in_flight.values())) > 0:
                return
            await asyncio.sleep(0.005)

    async def _freeze(self, service: str, seconds: float) -> None:
        self.stack.pause_service(service)
        try:
            await asyncio.sleep(seconds)
        finally:
            self.stack.pause_service(service, paused=False)

    def heal(self) -> None:
        """Everything back: the proxy normal, every service running (started again if it died)."""
        self.proxy.heal()
        for service in self.stack.services:
            if self.stack.processes[service].poll() is not None:
                self.stack.start_service(service)
            else:
                self.stack.pause_service(service, paused=False)

    def count_in_flight(self) -> None:
        """How many command attempts each fault hit: under way while it lasted, and either to the
        service it struck, or (the case store) reaching a timeline, or (broker, proxy) any."""
        for fault in self.log:
            fault.in_flight = sum(
                a.start <= fault.end and a.end >= fault.start
                for c in self.load.ledger
                if fault.target in ("broker", "proxy", c.service)
                or (fault.target == "case_store" and c.case_id)
                for a in c.attempts
            )
