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

from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware

from services.kit.auth import verifier_for
from services.kit.consumer import ConsumerSpec, TrackingConsumer
from services.kit.kafka_clients import broker_security
from services.kit.lag import ConsumerLag, EndOffsetsReader
from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.publication import PublicationTable
from services.kit.relay import Relay
from services.kit.relay_lease import lease_for
from services.kit.settings import ServiceSettings
from services.kit.store import ServiceApplication
from services.kit.topics import ensure_topics, patiently
from services.kit.trust import SourceBinding

log = get_logger(__name__)
METADATA_MAX_AGE_MS = 10_000
STARTUP_BROKER_WAIT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 5.0


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
        self.publication = publication
        self.settings = settings
        self.app = app
        self.metrics = ServiceMetrics(name)
        self.offsets = EndOffsetsReader(settings.kafka_bootstrap, settings)
        self.verifier = verifier_for(settings)
        self.broker = KafkaBroker(
            settings.kafka_bootstrap,
            client_id=f"natverk-{name}",
            security=broker_security(settings),  # SASL (and TLS) as natverk-services, if configured
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
                sources=SourceBinding(settings.inbound_sources),
            )
            if consumers
            else None
        )
        self.consumer_lag = (
            ConsumerLag(self.offsets, self.consumer, self.metrics) if self.consumer is not None else None
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
                end_offsets=self.offsets.end_offsets,
                on_broker_reset=self.ensure_topics,
                lease=lease_for(settings.database_url, settings.data_dir, name),
            )
            if publication is not None
            else None
        )
        self.topics = set(topics) | {spec.topic for spec in consumers}
        self._relay_task: asyncio.Task[None] | None = None

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
        settings = self.settings  # its Kafka connection settings too
        await ensure_topics(settings.kafka_bootstrap, self.topics, settings.topic_partitions, settings)

    async def start(self) -> None:
        await patiently(self.ensure_topics, STARTUP_BROKER_WAIT_SECONDS)
        await self.broker.start()
        lag_interval = self.settings.lag_interval_ms / 1000
        if self.relay is not None:
            partitions = [(t, p) for t in sorted(self.topics) for p in range(self.settings.topic_partitions)]
            self._relay_task = asyncio.create_task(self.relay.run(partitions), name=f"{self.name}-relay")
            # From the store alone, so the gauge (and its alert) moves while the broker is away.
            self._periodic.append((lag_interval, self.relay.measure_lag))
        for interval, job in self._periodic:
            self._periodic_tasks.append(asyncio.create_task(self._every(interval, job)))
        if self.consumer_lag is not None:
            self._periodic_tasks.append(asyncio.create_task(self.consumer_lag.follow(lag_interval)))

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
        await self.offsets.stop()
        # Unacknowledged publishes are not lost (the relay has not recorded them), so a broker that
        # is away need not hold up the stop until the producer's request timeout.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.broker.stop(), timeout=STOP_TIMEOUT_SECONDS)
        self.app.close()

    async def readiness(self) -> tuple[dict[str, bool], list[str]]:
        """The checks, and what is wrong in words (parked records do not make a service unready)."""
        checks, problems = {"store": True, "broker": True}, []
        try:
            await self.app.run_blocking(self.app.check_store)
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            checks["store"] = False
            problems.append(f"store: cannot be read ({type(error).__name__})")
        checks["broker"] = bool(await self.broker.ping(timeout=2.0))
        if not checks["broker"]:
            problems.append("broker: does not answer")
        if self.relay is not None:
            checks["relay"] = self.relay.healthy
            problems += [f"relay: {self.relay.problem}"] if self.relay.problem else []
            problems += [f"relay: {self.relay.parked} record(s) parked"] if self.relay.parked else []
        return checks, problems
