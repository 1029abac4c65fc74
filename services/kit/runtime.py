"""One service's moving parts: store, broker, consumers, relay, metrics.

``create_app(settings)`` of each service builds a ServiceRuntime and hands
it to ``build_http_app``; nothing is started at import time (STYLE §7).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware

from services.kit.auth import TokenVerifier
from services.kit.consumer import ConsumerSpec, TrackingConsumer
from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.publication import PublicationTable
from services.kit.relay import Relay
from services.kit.settings import ServiceSettings
from services.kit.store import ServiceApplication
from services.kit.topics import ensure_topics

log = get_logger(__name__)
LAG_INTERVAL_SECONDS = 5.0
METADATA_MAX_AGE_MS = 10_000


class TopicTooSmall(RuntimeError):
    """A topic has fewer partitions than the configured count the relay partitions by."""


class ServiceRuntime:
    def __init__(
        self,
        name: str,
        settings: ServiceSettings,
        app: ServiceApplication,
        publication: PublicationTable | None,
        consumers: Iterable[ConsumerSpec] = (),
        topics: Iterable[str] = (),
        periodic: Iterable[tuple[float, Callable[[], object]]] = (),
    ) -> None:
        self._periodic = list(periodic)  # (interval in seconds, blocking job) pairs, e.g. deadline checks
        self._periodic_tasks: list[asyncio.Task[None]] = []
        self.name = name
        self.settings = settings
        self.app = app
        self.metrics = ServiceMetrics(name)
        self.verifier = TokenVerifier(
            settings.jwt_secret.get_secret_value(), settings.jwt_audience, settings.jwt_issuer
        )
        self.broker = KafkaBroker(
            settings.kafka_bootstrap,
            client_id=f"natverk-{name}",
            acks="all",
            enable_idempotence=False,  # the local broker has no idempotent producer (§2.3)
            linger_ms=1,
            max_request_size=settings.max_record_bytes,
            allow_auto_create_topics=False,  # ensure_topics creates them with the configured partitions
            # A topic that gains partitions (added by ops, or re-created by the local broker with
            # its default of four after a restart) is consumed within seconds, not five minutes.
            metadata_max_age_ms=METADATA_MAX_AGE_MS,
            middlewares=[KafkaPrometheusMiddleware(registry=self.metrics.registry, app_name=name)],
            logger=logging.getLogger(f"faststream.{name}"),
            log_level=logging.DEBUG,
        )
        consumers = list(consumers)
        self.consumer = (
            TrackingConsumer(
                app,
                self.broker,
                settings.consumer_group_prefix + name,
                consumers,
                self.metrics,
                settings.consumer_max_attempts,
                fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
            )
            if consumers
            else None
        )
        self.relay = (
            Relay(
                app,
                publication,
                self._send,
                self.metrics,
                partitions=settings.topic_partitions,
                batch_size=settings.relay_batch_size,
                poll_interval=settings.relay_poll_interval_ms / 1000,
                end_offsets=self._end_offsets,
                on_broker_reset=self.ensure_topics,
            )
            if publication is not None
            else None
        )
        self.topics = set(topics) | {spec.topic for spec in consumers}
        self._relay_task: asyncio.Task[None] | None = None
        self._offsets_reader: AIOKafkaConsumer | None = None
        self._offsets_lock = asyncio.Lock()

    async def _send(
        self, topic: str, partition: int, key: bytes, value: bytes, headers: dict[str, str]
    ) -> Any:
        try:
            return await self.broker.publish(
                value, topic=topic, partition=partition, key=key, headers=headers, no_confirm=True
            )
        except AssertionError as unknown_partition:  # aiokafka asserts the partition exists
            raise TopicTooSmall(
                f"{topic} has no partition {partition}: the relay spreads cases over "
                f"NATVERK_TOPIC_PARTITIONS={self.settings.topic_partitions} partitions; "
                "give the topic at least that many"
            ) from unknown_partition

    async def ensure_topics(self) -> None:
        await ensure_topics(self.settings.kafka_bootstrap, self.topics, self.settings.topic_partitions)

    async def _end_offsets(self, partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        """End offsets as the broker sees them now; a partition it does not know ends at 0."""
        async with self._offsets_lock:  # the relay's probe and the lag gauge share one reader
            return await self._read_end_offsets(partitions)

    async def update_consumer_lag(self) -> None:
        """Set the lag gauge of every partition this replica has consumed from: end minus position."""
        if self.consumer is None or not self.consumer.positions:
            return
        positions = dict(self.consumer.positions)
        ends = await self._end_offsets(list(positions))
        for (topic, partition), position in positions.items():
            if (topic, partition) in ends:
                lag = max(ends[(topic, partition)] - position, 0)
                self.metrics.consumer_lag.labels(topic=topic, partition=str(partition)).set(lag)

    async def _lag_loop(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.update_consumer_lag()
            except Exception as error:  # noqa: BLE001 - the broker may be away; the next round retries
                log.info("consumer lag not updated", error_type=type(error).__name__)

    async def _read_end_offsets(self, partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        if self._offsets_reader is None:
            self._offsets_reader = AIOKafkaConsumer(
                bootstrap_servers=self.settings.kafka_bootstrap, group_id=None, enable_auto_commit=False
            )
            await self._offsets_reader.start()
        reader = self._offsets_reader
        # A fresh metadata snapshot: ``reader.topics()`` fetches one but leaves the client's
        # cached view stale, and a stale view would report real partitions as missing.
        cluster = await reader._client.fetch_all_metadata()
        known = [TopicPartition(t, p) for t, p in partitions if p in (cluster.partitions_for_topic(t) or ())]
        ends = await reader.end_offsets(known) if known else {}
        return {(tp.topic, tp.partition): offset for tp, offset in ends.items()}

    async def start(self) -> None:
        await self.ensure_topics()
        await self.broker.start()
        if self.relay is not None:
            partitions = [(t, p) for t in sorted(self.topics) for p in range(self.settings.topic_partitions)]
            self._relay_task = asyncio.create_task(self.relay.run(partitions), name=f"{self.name}-relay")
        for interval, job in self._periodic:
            self._periodic_tasks.append(asyncio.create_task(self._every(interval, job)))
        if self.consumer is not None:
            self._periodic_tasks.append(asyncio.create_task(self._lag_loop(LAG_INTERVAL_SECONDS)))

    async def _every(self, interval: float, job: Callable[[], object]) -> None:
        while True:
            try:
                await self.app.run_blocking(job)
            except Exception as error:  # noqa: BLE001 - keep the schedule; the next run retries
                log.warning(
                    "periodic job failed",
                    job=getattr(job, "__name__", "job"),
                    error_type=type(error).__name__,
                )
            await asyncio.sleep(interval)

    async def stop(self) -> None:
        for task in self._periodic_tasks:
            task.cancel()
        if self.relay is not None and self._relay_task is not None:
            self.relay.stop()
            self._relay_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._relay_task
        if self._offsets_reader is not None:
            await self._offsets_reader.stop()
        await self.broker.stop()
        self.app.close()

    async def readiness(self) -> dict[str, bool]:
        checks = {"store": True, "broker": True}
        try:
            await self.app.run_blocking(self.app.check_store)
        except Exception:  # noqa: BLE001 - any failure means not ready
            checks["store"] = False
        checks["broker"] = bool(await self.broker.ping(timeout=2.0))
        if self.relay is not None:
            checks["relay"] = self.relay.healthy
        return checks
