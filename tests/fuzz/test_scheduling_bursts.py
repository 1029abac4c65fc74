"""Bursts of referrals through the real tracking consumer, a fetched batch at a time: whatever
arrives together, nobody on the roster is booked into two meetings at once (ADR 0021)."""

from __future__ import annotations

import uuid
from datetime import datetime
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.topics import REFERRALS
from services.kit.consumer import TrackingConsumer
from services.scheduling.application import SchedulingApplication
from services.scheduling.inbound import referral_consumer
from tests.support.bookings import double_bookings
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.referral_records import referral_received

SEQUENCE = count(1)  # the referrals relay's positions only grow, across examples too


@pytest.fixture(scope="module")
def scheduling(tmp_path_factory: pytest.TempPathFactory) -> tuple[SchedulingApplication, TrackingConsumer]:
    folder = tmp_path_factory.mktemp("bursts")
    app = SchedulingApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "s.sqlite")}
    )
    app.clock = lambda: datetime(2026, 11, 23, 8, 0)
    app.seed_default_roster()
    consumer, _ = in_process_consumer(app, referral_consumer(app), "bursts")
    return app, consumer


def batch(statuses: list[str]) -> FakeMessage:
    """One partition's fetched records: referrals to the Network Centre, arriving together."""
    records = []
    for status in statuses:
        sequence, referral_id = next(SEQUENCE), str(uuid.uuid4())
        value = referral_received(f"B-{referral_id[:8]}", referral_id, sequence, child_status=status)
        records.append(FakeRecord(value, offset=sequence, topic=REFERRALS))
    return FakeMessage(tuple(records))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    bursts=st.lists(
        st.lists(st.sampled_from(["placed", "placement_near"]), min_size=1, max_size=20),
        min_size=1,
        max_size=3,
    )
)
async def test_bursts_of_referrals_in_batches_book_nobody_twice_at_once(scheduling, bursts) -> None:
    app, consumer = scheduling
    before = len(app._open_meetings("0380"))
    for statuses in bursts:
        message = batch(statuses)
        await consumer.handle([r.value for r in message.raw_message], message)  # type: ignore[arg-type]
    assert len(app._open_meetings("0380")) == before + sum(map(len, bursts))
    assert double_bookings(app) == []
