"""An index that names the event classes it folds reads only those, and still follows the log:
what another replica stores, in any mix with other classes, is folded once and in order.
Real SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event

from services.kit.index import CatchUpIndex, every_event_of
from services.kit.store import ServiceApplication, open_store
from tests.conftest import make_settings

pytestmark = pytest.mark.integration


class Folder(Aggregate):
    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name

    @event("Renamed")
    def rename(self, name: str) -> None:
        self.name = name


class Noise(Aggregate):
    """Events the index never looks at."""


def _fold(rows: dict[Any, str], e: Any) -> None:
    if isinstance(e, Folder.Opened | Folder.Renamed):
        rows[e.originator_id] = e.name


@pytest.fixture
def replicas(tmp_path: Path, database_url: str | None) -> Any:
    settings = make_settings(tmp_path, database_url=database_url)
    first = open_store(ServiceApplication, settings, "indexed")
    second = open_store(ServiceApplication, settings, "indexed")
    yield first, second
    first.close()
    second.close()


def test_an_index_folds_its_classes_from_a_log_mixed_with_others_stored_by_another_replica(replicas) -> None:
    writer, reader = replicas
    decoded: list[str] = []
    original = reader.mapper.to_domain_event
    reader.mapper.to_domain_event = lambda n: decoded.append(n.topic) or original(n)  # type: ignore[method-assign]
    index: CatchUpIndex[str] = CatchUpIndex(reader, _fold, events=(Folder.Opened, Folder.Renamed))

    a = Folder("a")
    writer.save(Noise(), a, Noise(), Noise())
    assert index.rows() == ["a"]
    a.rename("a2")
    b = Folder("b")
    writer.save(Noise(), a, Noise(), b, *[Noise() for _ in range(5)])
    assert sorted(index.rows()) == ["a2", "b"]
    writer.save(*[Noise() for _ in range(3)])
    c = Folder("c")
    writer.save(c)
    assert sorted(index.rows()) == ["a2", "b", "c"]
    assert decoded and all("Noise" not in topic for topic in decoded)
    assert len(decoded) == 4  # each of its own events read once


def test_an_index_follows_its_own_writes_and_skips_the_classes_it_does_not_fold(replicas) -> None:
    app, _ = replicas
    index: CatchUpIndex[str] = CatchUpIndex(app, _fold, events=every_event_of(Folder))
    app.save(Folder("mine"), Noise())
    app.save(Noise())
    assert index.rows() == ["mine"]
    later = Folder("later")
    app.save(later, Noise())
    assert sorted(index.rows()) == ["later", "mine"]


def test_every_event_of_an_aggregate_includes_one_added_later() -> None:
    class Grown(Folder):
        @event("Archived")
        def archive(self) -> None:
            pass

    classes = every_event_of(Grown)
    assert {Grown.Opened, Grown.Renamed, Grown.Archived} <= set(classes)
