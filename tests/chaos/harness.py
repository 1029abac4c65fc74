"""A crash harness on one machine: the stack as processes on loopback, a load generator with a
ledger, and a seeded fault injector.

* The broker listens on one port and advertises a loopback **proxy** in front of it, so every
  client (services and load generator) goes through the proxy, which can delay or cut
  connections.
* The **load generator** creates referrals over HTTP (with an Idempotency-Key) and publishes
  placement events on ``ext.placements.v1``.  Each command's outcome goes into the ledger:
  ``ok`` (the service or broker confirmed it), ``rejected`` (a 4xx), ``unknown`` (timeout,
  connection error, 5xx).  Like any at-least-once publisher it keeps what it sent and
  republishes it after the broker restarts (the local broker forgets everything).
* The **fault injector** (``random.Random(seed)``) SIGKILLs and restarts services,
  SIGSTOPs and SIGCONTs them, restarts the broker, and delays or cuts connections.
* After healing and quiescing, ``check`` proves the invariants of ARCHITECTURE §2: every ``ok``
  command has exactly one effect in its store and in the case timeline, every ``unknown`` at
  most one, none twice; every chain verifies.

    python -m tests.chaos.harness --seconds 600 --seed 7      (what ``make soak`` runs)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer

from contracts.topics import ALL_TOPICS, PLACEMENTS
from services.kit.auth import mint_token
from services.kit.settings import ServiceSettings
from services.kit.topics import ensure_topics
from services.stack import broker_binary, port_open
from tests.support.broker import free_port
from tests.support.events import encode, placement_started, valid_pin

SERVICES = ("referrals", "case_store")
SECRET = ServiceSettings().jwt_secret.get_secret_value()
TOPIC_PARTITIONS = ServiceSettings().topic_partitions


# -- the loopback proxy ---------------------------------------------------------------------------
class Proxy:
    """TCP proxy on its own thread and loop: ``delay`` seconds per chunk, ``cut()`` drops everything."""

    def __init__(self, listen_port: int, target_port: int) -> None:
        self.listen_port, self.target_port = listen_port, target_port
        self.delay = 0.0
        self.refusing = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.listen_port)
        )
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                if self.delay:
                    await asyncio.sleep(self.delay)
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    def cut(self, seconds: float) -> None:
        def drop() -> None:
            self.refusing = True
            for writer in list(self._writers):
                writer.transport.abort()
            self._loop.call_later(seconds, lambda: setattr(self, "refusing", False))

        self._loop.call_soon_threadsafe(drop)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)


# -- the stack ------------------------------------------------------------------------------------------
@dataclass
class ChaosStack:
    folder: Path
    broker_port: int = field(default_factory=free_port)
    proxy_port: int = field(default_factory=free_port)
    ports: dict[str, int] = field(default_factory=lambda: {s: free_port() for s in SERVICES})
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    broker: subprocess.Popen[bytes] | None = None
    broker_restarts: int = 0

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.proxy_port}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "NATVERK_DATA_DIR": str(self.folder / "data"),
            "NATVERK_KAFKA_BOOTSTRAP": self.bootstrap,
            "NATVERK_RELAY_POLL_INTERVAL_MS": "20",
            "NATVERK_JWT_SECRET": SECRET,
            **{f"NATVERK_{s.upper()}_PORT": str(p) for s, p in self.ports.items()},
        }

    def start_broker(self) -> None:
        listen, advertised = f"tcp://127.0.0.1:{self.broker_port}", f"tcp://127.0.0.1:{self.proxy_port}"
        log = (self.folder / "broker.log").open("ab")
        self.broker = subprocess.Popen(
            [broker_binary(), "broker", "--listener-url", listen, "--advertised-listener-url", advertised],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while not port_open("127.0.0.1", self.broker_port):
            if time.monotonic() > deadline:
                raise RuntimeError("broker did not start")
            time.sleep(0.05)

    def restart_broker(self) -> None:
        assert self.broker is not None
        os.killpg(self.broker.pid, signal.SIGKILL)
        self.broker.wait(10)
        self.start_broker()
        self.broker_restarts += 1

    def start_service(self, service: str) -> None:
        log = (self.folder / f"{service}.log").open("ab")
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", f"services.{service}"],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def ready(self, service: str) -> bool:
        try:
            return httpx.get(f"{self.url(service)}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not all(self.ready(s) for s in SERVICES):
            if time.monotonic() > deadline:
                raise RuntimeError(f"services not ready; logs in {self.folder}")
            time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.broker and self.broker.poll() is None:
            os.killpg(self.broker.pid, signal.SIGKILL)


# -- the ledger and load --------------------------------------------------------------------------------
@dataclass
class Entry:
    kind: str  # "referral" (HTTP) or "placement" (Kafka)
    case_id: str
    outcome: str  # ok | rejected | unknown
    detail: str = ""


class LoadGenerator:
    def __init__(self, stack: ChaosStack, rng: random.Random) -> None:
        self.stack, self.rng = stack, rng
        self.ledger: list[Entry] = []
        self.sent_placements: list[bytes] = []
        self._headers = {
            "Authorization": "Bearer " + mint_token(SECRET, "chaos", "0380", ["case_worker"], 7200)
        }

    def create_referral(self, client: httpx.Client) -> None:
        case_id = f"0380-H{len(self.ledger)}-{uuid.uuid4().hex[:6]}"
        body = {
            "case_id": case_id,
            "target": "safety_team",
            "child": {"pin": valid_pin(self.rng.randrange(10_000)), "protected_identity": False},
            "child_status": "placement_near",
            "case_worker_id": "cw-chaos",
            "reason": "chaos",
        }
        headers = {**self._headers, "Idempotency-Key": f"chaos-{case_id}"}
        try:
            response = client.post(
                f"{self.stack.url('referrals')}/api/v1/referrals", json=body, headers=headers, timeout=3
            )
            outcome = (
                "ok"
                if response.status_code == 201
                else "rejected"
                if 400 <= response.status_code < 500
                else "unknown"
            )
            self.ledger.append(Entry("referral", case_id, outcome, str(response.status_code)))
        except httpx.HTTPError as error:
            self.ledger.append(Entry("referral", case_id, "unknown", type(error).__name__))

    async def publish_placement(self, producer: AIOKafkaProducer | None) -> None:
        case_id = f"0380-K{len(self.ledger)}-{uuid.uuid4().hex[:6]}"
        value = encode(placement_started(case_id, f"P-{case_id}", pin=valid_pin(self.rng.randrange(10_000))))
        self.sent_placements.append(value)
        if producer is None:
            self.ledger.append(Entry("placement", case_id, "unknown", "no producer"))
            return
        try:
            await asyncio.wait_for(producer.send_and_wait(PLACEMENTS, value, key=case_id.encode()), 5)
            self.ledger.append(Entry("placement", case_id, "ok"))
        except Exception as error:
            self.ledger.append(Entry("placement", case_id, "unknown", type(error).__name__))

    async def republish_everything(self, bootstrap: str) -> None:
        """What an at-least-once publisher does when the broker lost its records."""
        await ensure_topics(bootstrap, ALL_TOPICS, TOPIC_PARTITIONS)
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, acks="all")
        await producer.start()
        try:
            for value in self.sent_placements:
                case_id = json.loads(value)["subject"]
                await producer.send(PLACEMENTS, value, key=case_id.encode())
            await producer.flush()
        finally:
            await producer.stop()


# -- faults -----------------------------------------------------------------------------------------------
class FaultInjector:
    def __init__(self, stack: ChaosStack, proxy: Proxy, rng: random.Random) -> None:
        self.stack, self.proxy, self.rng = stack, proxy, rng
        self.log: list[str] = []
        self.stopped: set[str] = set()

    def inject(self) -> str:
        fault = self.rng.choice(["kill", "kill", "pause", "delay", "cut", "broker"])
        service = self.rng.choice(SERVICES)
        if fault == "kill":
            process = self.stack.processes[service]
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            self.stack.start_service(service)
        elif fault == "pause":
            os.kill(self.stack.processes[service].pid, signal.SIGSTOP)
            self.stopped.add(service)
            time.sleep(self.rng.uniform(0.5, 2.5))
            os.kill(self.stack.processes[service].pid, signal.SIGCONT)
            self.stopped.discard(service)
        elif fault == "delay":
            self.proxy.delay = self.rng.uniform(0.05, 0.3)
        elif fault == "cut":
            self.proxy.cut(self.rng.uniform(0.5, 2.0))
        elif fault == "broker":
            self.stack.restart_broker()
        note = f"{time.strftime('%H:%M:%S')} {fault}" + (f" {service}" if fault in ("kill", "pause") else "")
        self.log.append(note)
        return fault

    def heal(self) -> None:
        self.proxy.delay = 0.0
        self.proxy.refusing = False
        for service in SERVICES:
            process = self.stack.processes[service]
            if process.poll() is not None:
                self.stack.start_service(service)
            else:
                os.kill(process.pid, signal.SIGCONT)


# -- the run and the check ---------------------------------------------------------------------------------
@dataclass
class Report:
    seed: int
    commands: Counter
    faults: list[str]
    violations: list[str]
    folder: Path

    def summary(self) -> str:
        return (
            f"seed={self.seed} commands={dict(self.commands)} faults={len(self.faults)} "
            f"violations={len(self.violations)} logs={self.folder}"
        )


async def run(seconds: float, seed: int, folder: Path, fault_every: float = 2.5) -> Report:
    rng = random.Random(seed)
    stack = ChaosStack(folder)
    proxy = Proxy(stack.proxy_port, stack.broker_port)
    proxy.start()
    stack.start_broker()
    await ensure_topics(stack.bootstrap, ALL_TOPICS, TOPIC_PARTITIONS)
    for service in SERVICES:
        stack.start_service(service)
    stack.wait_ready()
    load = LoadGenerator(stack, rng)
    faults = FaultInjector(stack, proxy, rng)
    try:
        await _drive(stack, load, faults, seconds, fault_every)
        faults.heal()
        await load.republish_everything(stack.bootstrap)  # once more, healed: nothing may be skipped
        stack.wait_ready(120)
        violations = await asyncio.to_thread(check, stack, load.ledger)
    finally:
        stack.stop()
        proxy.stop()
    return Report(seed, Counter((e.kind, e.outcome) for e in load.ledger), faults.log, violations, folder)


async def _drive(
    stack: ChaosStack, load: LoadGenerator, faults: FaultInjector, seconds: float, fault_every: float
) -> None:
    producer: AIOKafkaProducer | None = None
    deadline, next_fault = time.monotonic() + seconds, time.monotonic() + fault_every
    restarts_seen = 0
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=stack.bootstrap,
                    enable_idempotence=False,
                    acks="all",
                    request_timeout_ms=4000,
                )
                try:
                    await asyncio.wait_for(producer.start(), 5)
                except Exception:
                    await _close(producer)
                    producer = None
            if load.rng.random() < 0.5:
                await asyncio.to_thread(load.create_referral, client)
            else:
                await load.publish_placement(producer)
            if time.monotonic() >= next_fault:
                fault = await asyncio.to_thread(faults.inject)
                next_fault = time.monotonic() + fault_every
                if fault == "broker" or stack.broker_restarts != restarts_seen:
                    restarts_seen = stack.broker_restarts
                    await _close(producer)
                    producer = None
                    with contextlib.suppress(Exception):
                        await load.republish_everything(stack.bootstrap)
            await asyncio.sleep(0.02)
    await _close(producer)


async def _close(producer: AIOKafkaProducer | None) -> None:
    if producer is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), 5)


def check(stack: ChaosStack, ledger: list[Entry], quiesce_timeout: float = 120) -> list[str]:
    """Wait until every ok command shows its effect (or time runs out), then list every violation."""
    referrals_headers = {
        "Authorization": "Bearer " + mint_token(SECRET, "chaos", "0380", ["coordinator"], 7200)
    }
    audit_headers = {
        "Authorization": "Bearer " + mint_token(SECRET, "chaos", "0380", ["auditor", "ops"], 7200)
    }
    expected_entry = {"referral": "se.natverk.referral.received.v1", "placement": "se.placement.started.v1"}

    def observe(client: httpx.Client, entry: Entry) -> tuple[int, int, int]:
        referrals = client.get(
            f"{stack.url('referrals')}/api/v1/referrals",
            params={"case_id": entry.case_id},
            headers=referrals_headers,
        ).json()
        timeline = client.get(
            f"{stack.url('case_store')}/api/v1/cases/{entry.case_id}/timeline", headers=audit_headers
        )
        entries = timeline.json()["entries"] if timeline.status_code == 200 else []
        received = sum(e["event_type"] == "se.natverk.referral.received.v1" for e in entries)
        own = sum(e["event_type"] == expected_entry[entry.kind] for e in entries)
        return len(referrals), received, own

    with httpx.Client(timeout=10) as client:
        deadline = time.monotonic() + quiesce_timeout
        pending = [e for e in ledger if e.outcome == "ok"]
        while pending and time.monotonic() < deadline:
            pending = [e for e in pending if observe(client, e) != (1, 1, 1)]
            if pending:
                time.sleep(1.0)
        time.sleep(2.0)  # let late duplicates, if any, arrive before counting
        violations = []
        for entry in ledger:
            counts = observe(client, entry)
            if entry.outcome == "ok" and counts != (1, 1, 1):
                violations.append(
                    f"ok {entry.kind} {entry.case_id}: referrals/received/own entries = {counts}"
                )
            elif entry.outcome != "ok" and max(counts) > 1:
                violations.append(
                    f"{entry.outcome} {entry.kind} {entry.case_id}: more than one effect {counts}"
                )
        verified = client.get(f"{stack.url('case_store')}/api/v1/audit/verify", headers=audit_headers).json()
        violations += [f"broken chain {b}" for b in verified["broken"]]
    return violations


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(f"var/chaos-{args.seed}")
    folder.mkdir(parents=True, exist_ok=True)
    report = asyncio.run(run(args.seconds, args.seed, folder))
    print(report.summary())
    for fault in report.faults:
        print("  fault", fault)
    for violation in report.violations:
        print("  VIOLATION", violation)
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
