"""A rebuild applies records through the kit's path: a batch that fails is applied one record
at a time, the record that fails is counted and its neighbours are stored.  Real SQLite and
PostgreSQL, no broker (the records are handed over as a fetch would hand them).
"""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path
from typing import Any

import pytest

from contracts.placements import PlacementStartedV1
from contracts.topics import PLACEMENTS
from services.kit.domain.received_event import ReceivedEvent
from services.kit.inbound import InboundEvent
from services.kit.routing import RecordRouter
from services.kit.store import ServiceApplication, open_store
from services.kit.subscriptions import ConsumerSpec, on
from services.ops.replay import NotAFreshStore, Replay
from tests.conftest import make_settings
from tests.support.events import PLACEMENTS_SOURCE, encode, placement_started

pytestmark = pytest.mark.integration
Record = namedtuple("Record", "topic partition offset value")


@pytest.fixture
def store(tmp_path: Path, database_url: str | None) -> Any:
    app = open_store(ServiceApplication, make_settings(tmp_path, database_url=database_url), "rebuilt")
    yield app
    app.close()


def _router(app: ServiceApplication) -> RecordRouter:
    def receive(event: InboundEvent[PlacementStartedV1]) -> None:
        if event.data.case_id == "C-BROKEN":
            raise ValueError("a rule this record breaks")
        app.save(ReceivedEvent(event.envelope.source, event.envelope.id))

    return RecordRouter(
        [ConsumerSpec(PLACEMENTS, [on(PlacementStartedV1, receive)], dedupe_by_event_id=False)]
    )


def _records(case_ids: list[str]) -> list[Record]:
    return [
        Record(PLACEMENTS, 0, offset, encode(placement_started(case_id, f"P-{case_id}", event_id=case_id)))
        for offset, case_id in enumerate(case_ids)
    ]


def test_a_record_that_fails_is_counted_and_its_neighbours_are_stored(store: ServiceApplication) -> None:
    replay = Replay(store, _router(store))
    records = _records(["C-1", "C-2", "C-BROKEN", "C-3"])

    replay.apply([[*records, Record(PLACEMENTS, 0, 4, b"{not json")]])

    assert dict(replay.counts) == {"processed": 3, "failed": 1, "invalid": 1}
    assert all(store.exists(ReceivedEvent.id_for(PLACEMENTS_SOURCE, c)) for c in ("C-1", "C-2", "C-3"))


def test_a_rebuild_refuses_a_store_that_holds_events_already(store: ServiceApplication) -> None:
    Replay(store, _router(store)).apply([_records(["C-1"])])

    with pytest.raises(NotAFreshStore):
        Replay(store, _router(store))
