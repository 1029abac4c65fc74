"""The consumer-lag gauges: partition end (as the broker reports it) minus the replica's position,
and how long ago that was measured, which keeps growing while the broker cannot be reached."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from contracts.topics import PLACEMENTS
from services.broker_process import start_broker, stop_broker
from services.kit.relay import partition_for
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from tests.chaos.proxy import Proxy
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import encode, placement_started
from tests.support.ports import free_port

pytestmark = pytest.mark.integration
LAG, AGE = "natverk_consumer_lag_records", "natverk_consumer_lag_age_seconds"
ON_PLACEMENTS = {"topic": PLACEMENTS, "partition": "0"}


def lag(app, partition: int) -> float | None:
    return app.state.runtime.metrics.registry.get_sample_value(
        LAG, {"topic": PLACEMENTS, "partition": str(partition)}
    )


async def scraped(client, name: str) -> float | None:
    """The service's own /metrics, as Prometheus would read it: the sample on placements' partition 0."""
    families = text_string_to_metric_families((await client.get("/metrics")).text)
    samples = (s for family in families for s in family.samples if s.name == name)
    return next((s.value for s in samples if s.labels == ON_PLACEMENTS), None)


async def lag_measured(client) -> bool:
    return await scraped(client, LAG) is not None  # a lag of 0 is a measurement too


async def age_at_least(client, seconds: float) -> float | None:
    age = await scraped(client, AGE)
    return age if age is not None and age >= seconds else None


async def age_below(client, seconds: float) -> float | None:
    age = await scraped(client, AGE)
    return age if age is not None and age < seconds else None


@contextmanager
def broker_behind_proxy(log_path: Path) -> Iterator[tuple[str, Proxy]]:
    """A broker every client reaches through a proxy that can make it unreachable (nothing is lost)."""
    broker_port, proxy_port = free_port(), free_port()
    process = start_broker(f"127.0.0.1:{broker_port}", log_path, advertised=f"127.0.0.1:{proxy_port}")
    proxy = Proxy(proxy_port, broker_port)
    proxy.start()
    try:
        yield f"127.0.0.1:{proxy_port}", proxy
    finally:
        proxy.stop()
        stop_broker(process)


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
        await runtime.consumer_lag.update()
        caught_up = lag(app, 0)
        runtime.consumer.positions[(PLACEMENTS, 0)] = 2  # as if three records were still to be handled
        await runtime.consumer_lag.update()
        behind = lag(app, 0)
    assert caught_up == 0
    assert behind == 3


@pytest.mark.parametrize("store_backend", ["sqlite"])  # the gauges read the broker; one backend says it
async def test_the_lag_age_grows_while_the_broker_is_unreachable_and_falls_when_it_is_back(
    settings: ServiceSettings, tmp_path: Path
) -> None:
    with broker_behind_proxy(tmp_path / "proxied-broker.log") as (bootstrap, proxy):
        proxied = {"kafka_bootstrap": bootstrap, "topic_partitions": 1, "lag_interval_ms": 200}
        async with serving(create_app(settings.model_copy(update=proxied))) as client:
            await produce(
                bootstrap, PLACEMENTS, [encode(placement_started(f"L-{uuid.uuid4().hex[:6]}", "P-1"))]
            )
            await eventually(lambda: lag_measured(client), timeout=20)
            proxy.cut(3600)  # every connection to the broker refused until healed
            first = await eventually(lambda: age_at_least(client, 2.0))  # ten rounds missed
            await asyncio.sleep(1.0)
            second = await scraped(client, AGE)
            lag_while_away = await scraped(client, LAG)
            proxy.heal()
            back = await eventually(lambda: age_below(client, 1.0), timeout=20)
            lag_when_back = await scraped(client, LAG)
    assert second is not None and second >= first + 0.9
    assert lag_while_away is None  # unknown, not a stale figure that passes for health
    assert back < 1.0
    assert lag_when_back == 0


def lags(app) -> dict[int, float]:
    """The replica's lag series on placements' partitions: partition -> records behind."""
    families = app.state.runtime.metrics.registry.collect()
    samples = (s for family in families for s in family.samples if s.name == LAG)
    return {int(s.labels["partition"]): s.value for s in samples if s.labels["topic"] == PLACEMENTS}


@pytest.mark.parametrize("store_backend", ["sqlite"])  # the gauges read the broker; one backend says it
async def test_a_replica_that_gave_partitions_to_another_in_a_rebalance_reports_no_lag_for_them(
    settings: ServiceSettings, tmp_path: Path
) -> None:
    """Before, a replica kept its last position of a partition it lost and reported the owner's
    every new record as its own lag, for good (and a sum by topic added it to the owner's)."""
    shared = {"topic_partitions": 4, "lag_interval_ms": 200}
    first = create_app(settings.model_copy(update={**shared, "data_dir": tmp_path / "a"}))
    second = create_app(settings.model_copy(update={**shared, "data_dir": tmp_path / "b"}))
    tag = uuid.uuid4().hex[:6]

    def case_on(partition: int, n: int) -> str:
        """A case id of this run whose records land on ``partition``: keyed at random, one of four
        partitions got none of 16 placements in about one run in 25, and never reported a position."""
        return next(
            case_id
            for attempt in itertools.count()
            if partition_for((case_id := f"R-{tag}-{n}-{attempt}").encode(), 4) == partition
        )

    async def placements(first_n: int, count: int) -> None:
        for n in range(first_n, first_n + count):
            case_id = case_on(n % 4, n)  # every partition gets records
            await produce(
                settings.kafka_bootstrap,
                PLACEMENTS,
                [encode(placement_started(case_id, f"P-{n}"))],
                key=case_id.encode(),
            )

    async with serving(first):
        await placements(0, 16)
        await eventually(lambda: len(first.state.runtime.consumer.positions) == 4, timeout=30)
        async with serving(second):
            held_by_second = lambda: second.state.runtime.consumer.subscriber.consumer.assignment()  # noqa: E731
            await eventually(held_by_second, timeout=60)
            await placements(16, 32)

            def each_partition_reported_once_and_caught_up() -> bool:
                reported = [*lags(first).items(), *lags(second).items()]
                partitions = [partition for partition, _ in reported]
                return sorted(partitions) == [0, 1, 2, 3] and all(value == 0 for _, value in reported)

            settled = await eventually(each_partition_reported_once_and_caught_up, timeout=60)
    assert settled
