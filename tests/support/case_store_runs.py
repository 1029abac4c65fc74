"""Running the case store for the rebuild tests: a live store consuming case stories, the
timelines a store holds, what its consumer counted, and an empty store to rebuild into."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from services.case_store.app import create_app
from services.case_store.application import CaseStoreApplication
from services.kit.cases import CaseRef
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from tests.support.apps import eventually, serving
from tests.support.broker import produce_records
from tests.support.postgres import fresh_database

ENTRIES_PER_CASE = 7  # of a case story's ten records, three are reads: they go to the access log


@pytest.fixture
def empty_store(
    settings: ServiceSettings, tmp_path: Path, store_backend: str, request: pytest.FixtureRequest
) -> ServiceSettings:
    """An empty case store beside the live one, for a rebuild to fill (import it into a test module)."""
    return empty_store_like(settings, tmp_path, store_backend, request)


def empty_store_like(
    settings: ServiceSettings, tmp_path: Path, store_backend: str, request: pytest.FixtureRequest
) -> ServiceSettings:
    """An empty store of the same kind as ``settings``'s, on the same broker and group prefix."""
    if store_backend == "sqlite":
        return settings.model_copy(update={"data_dir": tmp_path / "rebuilt"})
    server = request.getfixturevalue("postgres_server")
    return settings.model_copy(update={"database_url": fresh_database(server)})


def cases_in_two_municipalities(count: int) -> list[tuple[str, str]]:
    """The same case ids in Uppsala and in Västerås: two cases each (ADR 0016)."""
    tag = uuid.uuid4().hex[:6]
    return [(municipality, f"R{n}-{tag}") for n in range(count) for municipality in ("0380", "1980")]


def consumed(app: Any, outcome: str) -> float:
    registry = app.state.runtime.metrics.registry
    return sum(
        sample.value
        for family in registry.collect()
        for sample in family.samples
        if sample.name == "natverk_consumer_records_total" and sample.labels["outcome"] == outcome
    )


def timelines_of(store: CaseStoreApplication) -> dict[CaseRef, list[tuple[Any, ...]]]:
    """Each case's timeline entries, in the order of their content.

    Not in the order of their positions, nor their hashes: a timeline is in the order its
    case store consumed several topics in, which no other reader repeats, and each hash
    covers when its entry was recorded (ADR 0019).  What the chains must do is hold together.
    """
    timelines = {}
    for case in store.cases():
        entries = store.timeline(case).entries
        assert [e.position for e in entries] == list(range(1, len(entries) + 1))
        timelines[case] = sorted(
            (e.source_key, e.event_type, e.actor, e.summary, e.occurred_at) for e in entries
        )
    return timelines


async def live_store_consumes(settings: ServiceSettings, records: list[Any]) -> dict[CaseRef, list]:
    """The case store reads ``records`` as a service, then stops; returns its timelines."""
    app = create_app(settings)
    async with serving(app):
        await produce_records(settings.kafka_bootstrap, records)
        await eventually(lambda: consumed(app, "processed") == len(records), timeout=30)
        return timelines_of(app.state.runtime.app)


def stored_timelines(settings: ServiceSettings) -> dict[CaseRef, list]:
    store = open_store(CaseStoreApplication, settings, "case_store")
    try:
        return timelines_of(store)
    finally:
        store.close()


async def serve_and_consume(
    settings: ServiceSettings, records: list[Any], handled: int
) -> tuple[float, dict[CaseRef, list]]:
    """The case store on ``settings``'s store is sent ``records`` and consumes until it has handled
    ``handled`` records: how many it found applied already (duplicates), and its timelines."""
    app = create_app(settings)
    async with serving(app):
        await produce_records(settings.kafka_bootstrap, records)

        def seen() -> float:
            return consumed(app, "processed") + consumed(app, "duplicate")

        await eventually(lambda: seen() >= handled, timeout=30)
        assert seen() == handled
        return consumed(app, "duplicate"), timelines_of(app.state.runtime.app)
