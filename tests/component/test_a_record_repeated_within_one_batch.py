"""A partner's producer retries, and both copies of a record arrive in one fetched batch."""

from __future__ import annotations

import pytest
from structlog.testing import capture_logs

from services.kit.consumer import TrackingConsumer
from services.kit.metrics import ServiceMetrics
from services.referrals.application import ReferralsApplication
from services.referrals.inbound import placement_consumer
from tests.support.events import encode, placement_started, valid_pin
from tests.support.fetched import CapturingBroker, FakeMessage, FakeRecord


def _outcomes(metrics: ServiceMetrics) -> dict[str, float]:
    return {
        sample.labels["outcome"]: sample.value
        for metric in metrics.consumed.collect()
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.value
    }


@pytest.fixture
def referrals(tmp_path) -> ReferralsApplication:
    return ReferralsApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "r.sqlite")}
    )


async def test_a_record_repeated_within_one_batch_is_applied_once_with_the_batch_in_one_transaction(
    referrals: ReferralsApplication,
) -> None:
    metrics = ServiceMetrics("repeat")
    consumer = TrackingConsumer(
        referrals, CapturingBroker(), "repeat", [placement_consumer(referrals)], metrics, retry_pause=0
    )  # type: ignore[arg-type]
    record = encode(placement_started("R-1", "P-1", pin=valid_pin(1)))
    other = encode(placement_started("R-2", "P-2", pin=valid_pin(2)))
    batch = tuple(FakeRecord(value, offset=n) for n, value in enumerate((record, record, other)))
    with capture_logs() as logged:
        await consumer.handle([r.value for r in batch], FakeMessage(batch))  # type: ignore[arg-type]
    assert not [entry for entry in logged if entry["event"].startswith("batch failed")], logged
    assert _outcomes(metrics) == {"processed": 2, "duplicate": 1}
    assert referrals.placed_cases_of("0380", valid_pin(1)) == ["R-1"]
    assert referrals.placed_cases_of("0380", valid_pin(2)) == ["R-2"]
