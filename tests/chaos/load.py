"""The load generator: a worker per kind of command, all at once, each writing to the ledger.

An unknown outcome (timeout, connection error, 5xx; for a placement, no acknowledgement) is
retried with the very same request (the same Idempotency-Key or CloudEvent) until it is ok or
rejected, or the run ends.  Like any at-least-once publisher, the placement worker keeps what it
sent and sends it all again after the broker lost its records.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable

import httpx
from aiokafka import AIOKafkaProducer

from contracts.topics import ALL_TOPICS, PLACEMENTS
from services.kit.topics import ensure_topics
from services.stack import Stack
from tests.chaos import commands as new
from tests.chaos.commands import Attempt, Command

HTTP_TIMEOUT = 3.0
PUBLISH_TIMEOUT = 5.0
RETRY_PAUSE = (0.3, 1.0)
FOLLOW_UP_CHECKS = 40  # readiness checks of a placement's follow-up before the worker tries a newer one


class Load:
    def __init__(self, stack: Stack, seed: int, pace: tuple[float, float] = (0.1, 0.3)) -> None:
        self.stack, self.seed, self.pace = stack, seed, pace
        self.ledger: list[Command] = []
        self.broker_losses = 0  # the fault injector counts the broker's restarts here
        self.in_flight: Counter[str] = Counter()  # attempts under way, by service ("broker": placements)
        self._headers = {kind: new.bearer(roles, f"chaos-{kind}") for kind, roles in new.ROLES.items()}
        self._deadline = 0.0
        self._supported: set[str] = set()

    def broker_lost(self) -> None:
        self.broker_losses += 1

    async def run(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        workers = {"referral": new.referral, "meeting": new.meeting, "home": new.home}
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
            await asyncio.gather(
                self._placements(),
                self._parent_support(client),
                *(self._http_worker(client, kind, make) for kind, make in workers.items()),
            )

    def _running(self) -> bool:
        return time.monotonic() < self._deadline

    def _rng(self, kind: str) -> random.Random:
        return random.Random(f"{self.seed}/{kind}")

    # -- HTTP commands ----------------------------------------------------------------------------
    async def _http_worker(
        self, client: httpx.AsyncClient, kind: str, make: Callable[[int, random.Random], Command]
    ) -> None:
        rng, n = self._rng(kind), 0
        while self._running():
            command = make(n, rng)
            n += 1
            await self._settle(client, command, rng)
            await asyncio.sleep(rng.uniform(*self.pace))

    async def _parent_support(self, client: httpx.AsyncClient) -> None:
        """A session for each acknowledged placement, once network_support has opened its follow-up."""
        rng = self._rng("parent_support")
        checks: dict[str, int] = {}
        while self._running():
            placed = next(
                (
                    c
                    for c in self.ledger
                    if c.kind == "placement"
                    and c.outcome == "ok"
                    and c.ref not in self._supported
                    and checks.get(c.ref, 0) < FOLLOW_UP_CHECKS
                ),
                None,
            )
            if placed is not None and await self._follow_up_open(client, placed.ref):
                self._supported.add(placed.ref)
                await self._settle(client, new.parent_support(placed, rng), rng)
                await asyncio.sleep(rng.uniform(*self.pace))
            else:
                if placed is not None:
                    checks[placed.ref] = checks.get(placed.ref, 0) + 1
                await asyncio.sleep(0.25)

    async def _follow_up_open(self, client: httpx.AsyncClient, placement_id: str) -> bool:
        url = f"{self.stack.url('network_support')}/api/v1/placements/{placement_id}"
        with contextlib.suppress(httpx.HTTPError):
            return (await client.get(url, headers=self._headers["parent_support"])).status_code == 200
        return False

    async def _settle(self, client: httpx.AsyncClient, command: Command, rng: random.Random) -> None:
        self.ledger.append(command)
        while self._running():
            self.in_flight[command.service] += 1
            try:
                command.attempts.append(await self._send(client, command))
            finally:
                self.in_flight[command.service] -= 1
            if command.settled:
                return
            await asyncio.sleep(rng.uniform(*RETRY_PAUSE))

    async def _send(self, client: httpx.AsyncClient, command: Command) -> Attempt:
        start = time.monotonic()
        headers = {**self._headers[command.kind], "Idempotency-Key": command.key}
        url = self.stack.url(command.service) + command.path
        try:
            response = await client.post(url, json=command.body, headers=headers)
        except httpx.HTTPError as error:
            return Attempt(start, time.monotonic(), "unknown", type(error).__name__)
        status = response.status_code
        result = "ok" if status < 300 else "rejected" if status < 500 else "unknown"
        detail = str(status) if status < 300 else f"{status} {response.text[:120]}"
        return Attempt(start, time.monotonic(), result, detail)

    # -- placements on Kafka ------------------------------------------------------------------------
    async def _placements(self) -> None:
        rng, n, losses_seen = self._rng("placement"), 0, 0
        producer: AIOKafkaProducer | None = None
        try:
            while self._running():
                if losses_seen != self.broker_losses:
                    losses_seen = self.broker_losses
                    producer = await _closed(producer)
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(self.republish(), 20)
                command = new.placement(n, rng)
                n += 1
                self.ledger.append(command)
                while self._running():
                    producer = producer or await self._producer()
                    self.in_flight["broker"] += 1
                    command.attempts.append(await _publish(producer, command))
                    self.in_flight["broker"] -= 1
                    if command.settled:
                        break
                    producer = await _closed(producer)  # the next one starts with fresh metadata
                    await asyncio.sleep(rng.uniform(*RETRY_PAUSE))
                await asyncio.sleep(rng.uniform(*self.pace))
        finally:
            await _closed(producer)

    async def _producer(self) -> AIOKafkaProducer | None:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.stack.settings.kafka_bootstrap,
            enable_idempotence=False,
            acks="all",
            request_timeout_ms=4000,
        )
        try:
            await asyncio.wait_for(producer.start(), PUBLISH_TIMEOUT)
        except Exception:
            return await _closed(producer)
        return producer

    async def republish(self) -> None:
        """Every placement sent so far, again: the broker lost them (the services drop repeats)."""
        bootstrap = self.stack.settings.kafka_bootstrap
        await ensure_topics(bootstrap, ALL_TOPICS, self.stack.settings.topic_partitions)
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, acks="all")
        await producer.start()
        try:
            for command in [c for c in self.ledger if c.kind == "placement"]:
                await producer.send(PLACEMENTS, command.value, key=command.case_id.encode())
            await producer.flush()
        finally:
            await producer.stop()


async def _publish(producer: AIOKafkaProducer | None, command: Command) -> Attempt:
    start = time.monotonic()
    if producer is None:
        return Attempt(start, start, "unknown", "no producer")
    try:
        await asyncio.wait_for(
            producer.send_and_wait(PLACEMENTS, command.value, key=command.case_id.encode()), PUBLISH_TIMEOUT
        )
    except Exception as error:
        return Attempt(start, time.monotonic(), "unknown", type(error).__name__)
    return Attempt(start, time.monotonic(), "ok")


async def _closed(producer: AIOKafkaProducer | None) -> None:
    if producer is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), PUBLISH_TIMEOUT)
