"""A batch of inbound events skips the store read for cases it has never seen, safely;
the index that tells it so follows the store without skipping anything.

Runs on real SQLite and real PostgreSQL, with two replicas sharing one store:
the index that says "never seen" can be stale by what the other replica stored
since the batch began, and the store's version check has to catch that.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError

from services.case_store.application import CaseStoreApplication, PlacementFact
from services.case_store.domain.timeline import CaseTimeline, NewEntry
from services.kit.cases import CaseRef
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from tests.conftest import make_settings

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path, database_url=database_url)


def _record(app: CaseStoreApplication, case_id: str, key: str, municipality: str = "0380") -> bool:
    return app.record_event(
        case_id, municipality, key, NOW, "referrals", "se.natverk.referral.received.v1", "cw", "received"
    )


def _uppsala(case_id: str) -> CaseRef:
    return CaseRef("0380", case_id)


def _count_store_reads(app: CaseStoreApplication) -> list[object]:
    reads: list[object] = []
    original = app.recorder.select_events

    def counting(originator_id, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(originator_id)
        return original(originator_id, *args, **kwargs)

    app.recorder.select_events = counting  # type: ignore[method-assign]
    return reads


def test_a_batch_of_new_cases_reads_none_of_them_from_the_store_and_still_extends_known_ones(
    store_settings: ServiceSettings,
) -> None:
    app = open_store(CaseStoreApplication, store_settings, "case_store")
    try:
        _record(app, "KNOWN-1", "k0")
        reads = _count_store_reads(app)
        with app.unit_of_work():
            for n in range(20):
                _record(app, f"NEW-{n}", f"n{n}")
                app.record_placement_event(
                    PlacementFact("started", "0380", f"NEW-{n}", f"P-{n}", "familjehem", NOW.date()),
                    f"p{n}",
                    NOW,
                    "case-management",
                    "se.placement.started.v1",
                    "cw",
                    "placement started",
                )
            _record(app, "KNOWN-1", "k1")
        assert len(reads) == 1  # only the case the store already had
        assert [e.source_key for e in app.timeline(_uppsala("KNOWN-1")).entries] == ["k0", "k1"]
        assert [len(app.timeline(_uppsala(f"NEW-{n}")).entries) for n in range(20)] == [2] * 20
        assert len(app.placement_rows()) == 20
    finally:
        app.close()


def test_a_case_another_replica_opened_during_the_batch_is_refused_then_appended_on_retry(
    store_settings: ServiceSettings,
) -> None:
    replica = open_store(CaseStoreApplication, store_settings, "case_store")
    other = open_store(CaseStoreApplication, store_settings, "case_store")
    try:
        with pytest.raises(IntegrityError), replica.unit_of_work():
            _record(replica, "EARLIER", "e0")  # the index catches up here, before the other replica writes
            _record(other, "RACED", "other-0")
            _record(replica, "RACED", "mine-0")  # "never seen": a second Opened, which the store refuses
        assert replica.timeline(_uppsala("EARLIER")) is None  # the whole batch was rolled back

        # The consumer's fallback: the same records one at a time, outside any batch.
        assert _record(replica, "EARLIER", "e0")
        assert _record(replica, "RACED", "mine-0")
        assert [e.source_key for e in replica.timeline(_uppsala("RACED")).entries] == ["other-0", "mine-0"]
        assert replica.verify(_uppsala("RACED")).ok
    finally:
        replica.close()
        other.close()


def test_the_case_index_follows_its_own_writes_without_skipping_another_replicas(
    store_settings: ServiceSettings,
) -> None:
    """The index folds what its process stored without reading it back, but only when
    nothing was stored in between: the other replica's case must not be jumped over."""
    replica = open_store(CaseStoreApplication, store_settings, "case_store")
    other = open_store(CaseStoreApplication, store_settings, "case_store")
    try:
        assert replica.cases() == []
        _record(replica, "FIRST", "f0")
        _record(other, "BETWEEN", "b0")
        _record(replica, "LAST", "l0")
        expected = [_uppsala(case_id) for case_id in ("BETWEEN", "FIRST", "LAST")]
        assert sorted(replica.cases()) == expected
        assert sorted(other.cases()) == expected
    finally:
        replica.close()
        other.close()


def _store_legacy_timeline(app: CaseStoreApplication, municipality: str, case_id: str, key: str) -> None:
    """A timeline as the case store stored it before ADR 0016: under the id of its case id alone."""
    legacy = CaseTimeline._create(
        CaseTimeline.Opened,
        id=CaseTimeline.legacy_id_for(case_id),
        case_id=case_id,
        municipality=municipality,
    )
    legacy.append(NewEntry(key, NOW, "referrals", "se.natverk.referral.received.v1", "cw", "received"))
    app.save(legacy)


def test_a_batch_extends_a_legacy_timeline_for_its_municipality_and_opens_the_others_case_unread(
    store_settings: ServiceSettings,
) -> None:
    """ADR 0016: the index says which case ids have a legacy timeline and whose it is, so the
    batch reads only that timeline; the same case id in another municipality is a new case."""
    app = open_store(CaseStoreApplication, store_settings, "case_store")
    try:
        _store_legacy_timeline(app, "1980", "OLD-1", "old-0")
        reads = _count_store_reads(app)
        with app.unit_of_work():
            _record(app, "OLD-1", "vasteras-1", municipality="1980")
            _record(app, "OLD-1", "uppsala-1", municipality="0380")
            _record(app, "OLD-1", "uppsala-2", municipality="0380")
        assert reads == [CaseTimeline.legacy_id_for("OLD-1")]
        vasteras, uppsala = app.timeline(CaseRef("1980", "OLD-1")), app.timeline(_uppsala("OLD-1"))
        assert vasteras.id == CaseTimeline.legacy_id_for("OLD-1")
        assert [e.source_key for e in vasteras.entries] == ["old-0", "vasteras-1"]
        assert uppsala.id == CaseTimeline.id_for("0380", "OLD-1")
        assert [e.source_key for e in uppsala.entries] == ["uppsala-1", "uppsala-2"]
        assert {case: result.ok for case, result in app.verify_all().items()} == {
            CaseRef("1980", "OLD-1"): True,
            _uppsala("OLD-1"): True,
        }
    finally:
        app.close()
