"""Ports for the servers tests start (broker, proxy, services), chosen so nothing else takes them
between the choosing and the binding.

A port the kernel hands out for port 0 lies in the ephemeral range, which every outgoing
connection and every listener bound to port 0 draws from too: a JWKS server of an in-process
test on the other xdist worker, say. Such a port, chosen and released, could be taken before
the stack bound it (a fresh-clone CI lost a crash-harness run to exactly that: "port(s)
already in use: collaboration"). So ports come from below the ephemeral range, where the
kernel never assigns one by itself; each xdist worker draws from a block of its own, one port
after another from a random start, so neither two workers nor two tests of one run choose the
same port.
"""

from __future__ import annotations

import itertools
import os
import random
import socket
from collections.abc import Iterator
from pathlib import Path

LOWEST = 10_000
BLOCKS = 9  # block 0 for a run without xdist, then one per worker gw0..gw7
_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def _ephemeral_low() -> int:
    try:
        return int(_EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default, and below the IANA range other systems use


def _block() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", …
    index = int(worker[2:]) % (BLOCKS - 1) + 1 if worker.startswith("gw") else 0
    size = (_ephemeral_low() - LOWEST) // BLOCKS
    return range(LOWEST + index * size, LOWEST + (index + 1) * size)


def _candidates() -> Iterator[int]:
    block = _block()
    start = random.randrange(len(block))
    return (block[(start + step) % len(block)] for step in itertools.count())


_NEXT = _candidates()


def free_port() -> int:
    """A port nothing listens on now and that no other test of this run will be given."""
    for port in itertools.islice(_NEXT, 1_000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue  # in use (another program, or a run of the suite beside this one)
            return port
    raise RuntimeError("no free port in this worker's block below the ephemeral range")
