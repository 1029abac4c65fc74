"""The consumer-lag gauge: partition end (as the broker reports it) minus the replica's position."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import PLACEMENTS
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import encode, placement_started

pytestmark = pytest.mark.integration


def lag(app, partition: int) -> float | None:
    return app.state.runtime.metrics.registry.get_sample_value(
        "natverk_consumer_lag_records", {"topic": PLACEMENTS, "partition": str(partition)}
    )


async def test_lag_is_zero_when_caught_up_and_counts_the_records_behind(settings: ServiceSettings) -> None:
    case_id = f"L-{uuid.uuid4().hex[:6]}"
    app = create_app(settings.model_copy(update={"topic_partitions": 1}))
    runtime = app.state.runtime
    async with serving(app):
        # one record per request, so the broker's end offsets are exact
        for n in range(5):
            await produce(
                settings.kafka_bootstrap, PLACEMENTS, [encode(placement_started(f"{case_id}-{n}", f"P-{n}"))]
            )
        await eventually(lambda: runtime.consumer.positions.get((PLACEMENTS, 0)) == 5)
        await runtime.offsets.update_consumer_lag(runtime.consumer, runtime.metrics)
        caught_up = lag(app, 0)
        runtime.consumer.positions[(PLACEMENTS, 0)] = 2  # as if three records were still to be handled
        await runtime.offsets.update_consumer_lag(runtime.consumer, runtime.metrics)
        behind = lag(app, 0)
    assert caught_up == 0
    assert behind == 3
