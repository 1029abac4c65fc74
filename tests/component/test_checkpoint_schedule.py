"""The periodic checkpoint (``CaseAudit.checkpoint_if_due``, run every few seconds on the leading
replica): one when none exists or the interval has passed and the heads moved, none otherwise, and
a check that finds nothing due does not walk every chain's head (SQLite store, no broker)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.support.apps import case_store

HOUR = 3600.0


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with case_store(make_settings(tmp_path)) as client:
        yield client.app.state.runtime.app


def _record(store: Any, key: str) -> None:
    store.record_event("0380-S1", "0380", key, datetime.now(UTC), "referrals", "se.x.v1", "cw", "s")


def _heads_walked(store: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    walked: list[int] = []
    heads = store.chains.heads

    def counted() -> Any:
        walked.append(1)
        return heads()

    monkeypatch.setattr(store.chains, "heads", counted)
    return walked


def test_the_leading_replica_signs_the_first_checkpoint_and_another_replica_none(store: Any) -> None:
    _record(store, "k1")
    assert store.checkpoint_if_due(False, HOUR) is None
    assert store.checkpoint_if_due(True, HOUR) is not None


def test_a_checkpoint_not_yet_due_walks_no_chain_head(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _record(store, "k1")
    store.checkpoint_if_due(True, HOUR)
    _record(store, "k2")
    walked = _heads_walked(store, monkeypatch)
    assert [store.checkpoint_if_due(True, HOUR) for _ in range(20)] == [None] * 20
    assert walked == []


def test_when_due_with_nothing_stored_since_no_checkpoint_is_signed_and_the_heads_are_walked_once(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(store, "k1")
    store.checkpoint_if_due(True, HOUR)
    walked = _heads_walked(store, monkeypatch)
    assert [store.checkpoint_if_due(True, 0.0) for _ in range(20)] == [None] * 20
    assert len(walked) == 1


def test_when_due_and_the_heads_moved_a_checkpoint_is_signed(store: Any) -> None:
    _record(store, "k1")
    first = store.checkpoint_if_due(True, HOUR)
    store.checkpoint_if_due(True, 0.0)  # nothing moved: none
    _record(store, "k2")
    second = store.checkpoint_if_due(True, 0.0)
    assert second is not None and second.summary.merkle_root != first.summary.merkle_root
    assert store.checkpoint_standing().latest.summary == second.summary
