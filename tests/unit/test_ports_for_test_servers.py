"""The ports tests give their brokers and stacks: never one the kernel could hand out meanwhile."""

from __future__ import annotations

import socket

from tests.support import ports
from tests.support.ports import free_port


def test_ports_come_from_below_the_ephemeral_range_where_the_kernel_assigns_none_by_itself() -> None:
    chosen = [free_port() for _ in range(50)]
    assert all(ports.LOWEST <= port < ports._ephemeral_low() for port in chosen), chosen


def test_no_two_ports_chosen_in_one_run_are_alike() -> None:
    chosen = [free_port() for _ in range(300)]
    assert len(set(chosen)) == len(chosen)


def test_a_port_something_listens_on_is_passed_over(monkeypatch) -> None:
    taken = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", taken))
        listener.listen()
        monkeypatch.setattr(ports, "_NEXT", iter([taken, taken + 1]))
        assert free_port() == taken + 1


def test_each_xdist_worker_draws_from_a_block_of_its_own(monkeypatch) -> None:
    blocks = []
    for worker in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        blocks.append(set(ports._block()))
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    blocks.append(set(ports._block()))
    assert all(a.isdisjoint(b) for i, a in enumerate(blocks) for b in blocks[i + 1 :])
