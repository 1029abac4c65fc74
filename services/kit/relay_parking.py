"""What the relay does with a record it cannot publish: park it, count it, release it on request."""

from __future__ import annotations

import asyncio
from typing import Any

from services.kit.domain.parked_notification import StillUnpublishable
from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.outbox import (
    RECORD_ERRORS,
    OutgoingRecord,
    ParkingLot,
    reason_for,
    records_of,
)
from services.kit.publication import PublicationTable
from services.kit.store import ServiceApplication

log = get_logger(__name__)


class RelayParking:
    """Mixed into ``Relay``: it provides the store, the table, the metrics and ``_send_record``."""

    _app: ServiceApplication
    _table: PublicationTable
    _metrics: ServiceMetrics
    parking: ParkingLot
    parked: int
    epoch: int

    async def _send_record(self, record: OutgoingRecord) -> Any:
        raise NotImplementedError

    async def _park(self, failures: list[tuple[Any, str]]) -> None:
        await self._app.run_blocking(self.parking.park, failures)
        for notification, reason in failures:
            log.error(
                "relay parked a record it cannot publish", notification_id=notification.id, reason=reason
            )
        self._metrics.relay_parked.inc(len(failures))

    async def count_parked(self) -> int:
        waiting = await self._app.run_blocking(self.parking.waiting_count)
        self._metrics.relay_parked_waiting.set(waiting)
        self.parked = waiting
        return waiting

    async def republish(self, notification: Any) -> None:
        """Publish a parked record's events again, without a position (consumers track none for it).

        Raises StillUnpublishable if its content or the broker still refuses it; the caller
        (the ops command) then leaves it parked.
        """
        try:
            records = records_of(self._app, self._table, notification, None, self.epoch)
            await asyncio.gather(*[await self._send_record(record) for record in records])
        except (*RECORD_ERRORS, ValueError, TypeError, KeyError) as error:
            log.warning("parked record still cannot be published", notification_id=notification.id)
            raise StillUnpublishable(reason_for(error)) from None
