"""The relay (outbox): stored events → CloudEvents on Kafka, in notification order.

It reads the service's notification log from just after the last position
it recorded, publishes every public event keyed by case id, waits for the
broker's acknowledgement of the whole batch and only then records the new
position.  After a crash it republishes from there: duplicates are possible,
loss is not (ARCHITECTURE §2.2).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from eventsourcing.persistence import Tracking

from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.publication import PublicationTable
from services.kit.store import ServiceApplication

RELAY_TRACKING_NAME = "relay"
CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"

# (topic, key, value, headers) -> a future that resolves when the broker has the record
SendFunction = Callable[[str, bytes, bytes, dict[str, str]], Awaitable[Awaitable[Any]]]

log = get_logger(__name__)


class Relay:
    def __init__(
        self,
        app: ServiceApplication,
        table: PublicationTable,
        send: SendFunction,
        metrics: ServiceMetrics,
        batch_size: int = 500,
        poll_interval: float = 0.05,
    ) -> None:
        self._app = app
        self._table = table
        self._send = send
        self._metrics = metrics
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self.healthy = True
        app.on_saved(self._wake_from_any_thread)

    def _wake_from_any_thread(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def position(self) -> int:
        return self._app.recorder.max_tracking_id(RELAY_TRACKING_NAME) or 0

    async def publish_pending(self) -> int:
        """Publish one batch after the recorded position; returns how many notifications it covered."""
        start = await asyncio.to_thread(self.position)
        notifications = await asyncio.to_thread(
            self._app.recorder.select_notifications, start + 1, self._batch_size
        )
        if not notifications:
            self._metrics.relay_lag.set(0)
            return 0
        pending = []
        for notification in notifications:
            domain_event = self._app.mapper.to_domain_event(notification)
            for topic, cloud_event in self._table.cloud_events(domain_event, notification.id):
                headers = {"content-type": CLOUDEVENTS_CONTENT_TYPE, "ce_type": cloud_event.type}
                key = cloud_event.subject.encode("utf-8")
                pending.append(await self._send(topic, key, cloud_event.to_json_bytes(), headers))
                self._metrics.relay_published.labels(topic=topic).inc()
        await asyncio.gather(*pending)
        last = notifications[-1].id
        await asyncio.to_thread(self._app.recorder.insert_tracking, Tracking(RELAY_TRACKING_NAME, last))
        newest = await asyncio.to_thread(self._app.max_notification_id)
        self._metrics.relay_lag.set(max(newest - last, 0))
        return len(notifications)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while not self._stopping:
            self._wake.clear()  # before reading: a save from now on wakes the next wait
            try:
                published = await self.publish_pending()
                self.healthy = True
            except asyncio.CancelledError:
                raise
            except Exception as error:  # broker or store down: keep position, retry
                self.healthy = False
                log.warning("relay batch failed, will retry", error_type=type(error).__name__)
                await asyncio.sleep(1.0)
                continue
            if published < self._batch_size:
                await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
        except TimeoutError:
            pass

    def stop(self) -> None:
        self._stopping = True
        self._wake_from_any_thread()
