"""Hypothesis-generated records through the real tracking consumer code.

Every record, whatever it holds, is either processed or dead-lettered:
never both, never neither, and nothing else escapes.  Documents come from the
committed JSON Schemas (so many are valid) and from arbitrary bytes.
"""

from __future__ import annotations

import copy
import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from contracts.generate import SCHEMA_DIR
from contracts.registry import PLACEMENT_EVENT_TYPES
from contracts.topics import PLACEMENTS
from services.kit.consumer import TrackingConsumer
from services.kit.metrics import ServiceMetrics
from services.referrals.application import ReferralsApplication
from services.referrals.inbound import placement_consumer
from tests.support.events import valid_pin
from tests.support.fetched import CapturingBroker, FakeMessage, FakeRecord


def _schema(event_type: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())


def _repaired(document: dict) -> dict:
    """Make a schema-shaped document pass the rules a schema cannot say (Luhn, subject = case id)."""
    document = copy.deepcopy(document)
    data = document["data"]
    data["child"]["pin"] = valid_pin(len(json.dumps(document)))
    data["case_id"] = f"C-{zlib.crc32(json.dumps(data, sort_keys=True).encode())}"
    document["subject"] = data["case_id"]
    if "end_date" in data:
        data["end_date"] = data["start_date"]
    return document


documents = st.one_of(*[from_schema(_schema(t)) for t in PLACEMENT_EVENT_TYPES])
records = st.one_of(
    documents.map(lambda d: json.dumps(d).encode()),
    documents.map(_repaired).map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=300),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: st.lists(c) | st.dictionaries(st.text(max_size=5), c),
        max_leaves=20,
    ).map(lambda d: json.dumps(d).encode()),
)


@pytest.fixture(scope="module")
def consumer_under_test(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[TrackingConsumer, CapturingBroker, ServiceMetrics]:
    folder = tmp_path_factory.mktemp("fuzz")
    app = ReferralsApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "f.sqlite")}
    )
    broker, metrics = CapturingBroker(), ServiceMetrics("fuzz")
    consumer = TrackingConsumer(
        app, broker, "fuzz", [placement_consumer(app)], metrics, max_attempts=1, retry_pause=0
    )  # type: ignore[arg-type]
    return consumer, broker, metrics


def _outcomes(metrics: ServiceMetrics) -> dict[str, float]:
    counts: dict[str, float] = {}
    for metric in metrics.consumed.collect():
        for sample in metric.samples:
            if sample.name.endswith("_total"):
                counts[sample.labels["outcome"]] = counts.get(sample.labels["outcome"], 0) + sample.value
    return counts


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(value=records)
async def test_every_record_is_processed_or_dead_lettered_exactly_once(
    consumer_under_test, value: bytes
) -> None:
    consumer, broker, metrics = consumer_under_test
    before, dead_before = _outcomes(metrics), len(broker.published)
    await consumer.handle([value], FakeMessage((FakeRecord(value, offset=dead_before),)))  # type: ignore[arg-type]
    after = _outcomes(metrics)
    changed = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
    dead_lettered = len(broker.published) - dead_before
    assert sum(changed.values()) == 1, changed
    outcome = next(iter(changed))
    assert outcome in {"processed", "dead_lettered", "ignored"}
    assert (outcome == "dead_lettered") == (dead_lettered == 1)
    if dead_lettered:
        assert broker.published[-1] == (PLACEMENTS + ".dlq", value)
