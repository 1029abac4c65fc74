"""Tampering with the case store's stored records is detected and the first broken link named.

Runs on real SQLite and real PostgreSQL: the bytes are changed behind the
application's back, as an attacker with database access would.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from services.case_store.application import CaseStoreApplication
from services.case_store.domain.timeline import CaseTimeline
from services.kit.auth import Caller
from services.kit.cases import CaseRef
from services.kit.pages import PageRequest
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from tests.conftest import make_settings

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path, database_url=database_url)


def _app_with_timeline(
    settings: ServiceSettings, case_id: str, entries: int, municipality: str = "0380"
) -> CaseStoreApplication:
    app = open_store(CaseStoreApplication, settings, "case_store")
    for n in range(entries):
        app.record_event(case_id, municipality, f"k{n}", NOW, "referrals", "se.x.v1", "cw", f"summary {n}")
    return app


def _execute(settings: ServiceSettings, sql: str, params: tuple) -> int:
    """Run raw SQL against the service's own store; returns affected rows."""
    if settings.database_url:
        with psycopg.connect(settings.database_url, autocommit=True) as connection:
            connection.execute("SET search_path TO case_store")
            return connection.execute(sql.replace("?", "%s"), params).rowcount
    with sqlite3.connect(settings.data_dir / "case_store.sqlite") as connection:
        return connection.execute(sql, params).rowcount


def _verify_fresh(settings: ServiceSettings, case_id: str, municipality: str = "0380"):
    app = open_store(CaseStoreApplication, settings, "case_store")
    try:
        return app.verify(CaseRef(municipality, case_id))
    finally:
        app.close()


def _table(settings: ServiceSettings) -> str:
    return "case_store_events" if settings.database_url else "stored_events"


def _key(settings: ServiceSettings, case_id: str, municipality: str = "0380") -> object:
    """The timeline's id as each backend stores it (SQLite: hex text, PostgreSQL: uuid)."""
    timeline_id = CaseTimeline.id_for(municipality, case_id)
    return timeline_id if settings.database_url else timeline_id.hex


def test_an_untouched_timeline_verifies(store_settings: ServiceSettings) -> None:
    _app_with_timeline(store_settings, "0380-T1", 4).close()
    result = _verify_fresh(store_settings, "0380-T1")
    assert (result.ok, result.entries_checked) == (True, 4)


def test_a_flipped_byte_in_an_entry_is_named(store_settings: ServiceSettings) -> None:
    _app_with_timeline(store_settings, "0380-T2", 4).close()
    table = _table(store_settings)
    state = "convert_from(state, 'UTF8')" if store_settings.database_url else "CAST(state AS TEXT)"
    to_bytes = "convert_to({}, 'UTF8')" if store_settings.database_url else "CAST({} AS BLOB)"
    # Version 2 is the second entry (version 1 opened the timeline with the first, ADR 0037).
    altered = to_bytes.format(f"replace({state}, 'summary 1', 'summary X')")
    changed = _execute(
        store_settings,
        f"UPDATE {table} SET state = {altered} WHERE originator_id = ? AND originator_version = 2",
        (_key(store_settings, "0380-T2"),),
    )
    assert changed == 1
    result = _verify_fresh(store_settings, "0380-T2")
    assert (result.ok, result.first_broken_position) == (False, 2)


def test_a_deleted_entry_is_named(store_settings: ServiceSettings) -> None:
    _app_with_timeline(store_settings, "0380-T3", 4).close()
    table = _table(store_settings)
    _execute(
        store_settings,
        f"DELETE FROM {table} WHERE originator_id = ? AND originator_version = 3",
        (_key(store_settings, "0380-T3"),),
    )
    result = _verify_fresh(store_settings, "0380-T3")
    assert (result.ok, result.first_broken_position) == (False, 3)


def test_reordered_entries_are_named(store_settings: ServiceSettings) -> None:
    _app_with_timeline(store_settings, "0380-T4", 4).close()
    table = _table(store_settings)
    param = _key(store_settings, "0380-T4")
    for source, target in ((2, 100), (3, 2), (100, 3)):  # swap the second and third entries
        _execute(
            store_settings,
            f"UPDATE {table} SET originator_version = ? WHERE originator_id = ? AND originator_version = ?",
            (target, param, source),
        )
    result = _verify_fresh(store_settings, "0380-T4")
    assert (result.ok, result.first_broken_position) == (False, 2)


def test_a_tampered_timeline_is_named_with_its_municipality_and_the_same_id_elsewhere_stays_intact(
    store_settings: ServiceSettings,
) -> None:
    """ADR 0016: (0380, T5) and (1980, T5) are two chains; breaking one leaves the other whole."""
    _app_with_timeline(store_settings, "0380-T5", 3).close()
    _app_with_timeline(store_settings, "0380-T5", 3, municipality="1980").close()
    _execute(
        store_settings,
        f"DELETE FROM {_table(store_settings)} WHERE originator_id = ? AND originator_version = 2",
        (_key(store_settings, "0380-T5", "1980"),),
    )
    app = open_store(CaseStoreApplication, store_settings, "case_store")
    try:
        report = app.audit_report(Caller("ops-1", "0380", frozenset({"ops"})), PageRequest())
        own = app.audit_report(Caller("auditor-1", "0380", frozenset({"auditor"})), PageRequest())
    finally:
        app.close()
    assert report.chains_checked == 2
    assert [(p.municipality, p.case_id, p.problem, p.first_broken_position) for p in report.problems] == [
        ("1980", "0380-T5", "broken", 2)
    ]
    assert (own.chains_checked, own.problems) == (1, [])  # Uppsala's auditor: its own case, intact
    assert _verify_fresh(store_settings, "0380-T5").ok
