"""A much-read case costs no more per read than a new one: logging a read appends at the access
log's tail, from its opening and its last record, never the whole log (ADR 0019).

Counts the stored events the case store reads while serving one timeline read over HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.case_store.app import create_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

READER = bearer("0380", ("coordinator",), subject="reader-1")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    store.record_event(
        "0380-R1", "0380", "k1", datetime(2026, 11, 20, tzinfo=UTC), "referrals", "se.x.v1", "cw", "s"
    )
    with TestClient(app, base_url="http://case-store") as test_client:
        yield test_client
    store.close()


def events_read_by_one_timeline_read(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> int:
    store = client.app.state.runtime.app
    read = store.recorder.select_events
    counted = []

    def counting(*args: object, **kwargs: object) -> list:
        events = read(*args, **kwargs)
        counted.append(len(events))
        return events

    monkeypatch.setattr(store.recorder, "select_events", counting)
    assert client.get("/api/v1/cases/0380-R1/timeline", headers=READER).status_code == 200
    monkeypatch.setattr(store.recorder, "select_events", read)
    return sum(counted)


def test_logging_the_five_hundredth_read_of_a_case_reads_no_more_than_the_second(client, monkeypatch) -> None:
    assert client.get("/api/v1/cases/0380-R1/timeline", headers=READER).status_code == 200
    second = events_read_by_one_timeline_read(client, monkeypatch)
    store = client.app.state.runtime.app
    for _ in range(500):
        store.record_access("0380-R1", "reader-1", "0380", "GET x", "case work", "granted", "0380")
    five_hundred_and_third = events_read_by_one_timeline_read(client, monkeypatch)
    assert five_hundred_and_third == second
