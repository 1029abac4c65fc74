"""Each case's access records in a service's own store are a hash chain; tampering is named (ADR 0020).

Real SQLite and PostgreSQL; reads over HTTP with a JWT; the rows are changed with SQL behind the
service's back, as an insider with database access would; the ops endpoint reports it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from services.kit.domain.access_chain import EDITED, MISSING, MOVED, REDATED
from services.kit.domain.case_access import CaseAccess
from services.kit.settings import ServiceSettings
from tests.conftest import make_settings
from tests.support.access_reads import CASE_WORKER, CHAINS, case_read, chain_report, record_id, replica
from tests.support.stored_rows import delete_record, edit_bytes, edit_json

CASES = ("0380-A", "0380-B", "0380-C", "0380-D", "0380-E")


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


def _broken(case_id: str, position: int, reason: str) -> dict[str, Any]:
    return {"municipality": "0380", "case_id": case_id, "first_broken_position": position, "reason": reason}


def _redate(state: dict[str, Any]) -> None:
    recorded = datetime.fromisoformat(state["timestamp"]["_data_"])
    state["timestamp"]["_data_"] = (recorded - timedelta(days=1)).isoformat()


def _move_to_e(state: dict[str, Any]) -> None:
    state["case_id"] = "0380-E"


async def test_the_ops_report_names_each_tampered_case_with_its_first_broken_position_and_why(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as client:
        for case_id in CASES:
            await case_read(client, case_id, reads=3)  # positions 1 (the referral) to 4
        assert await chain_report(client) == {"chains_checked": 5, "unchained_records": 0, "broken": []}

        store = client.store  # type: ignore[attr-defined]
        purpose = (b'"purpose":"case work"', b'"purpose":"case wark"')
        edit_bytes(store_settings, store, record_id("0380-A", 2), *purpose)
        delete_record(store_settings, store, record_id("0380-B", 3))
        edit_json(store_settings, store, record_id("0380-C", 2), _redate)
        edit_json(store_settings, store, record_id("0380-D", 2), _move_to_e)
        expected = {
            "chains_checked": 5,
            "unchained_records": 0,
            "broken": [
                _broken("0380-A", 2, EDITED),
                _broken("0380-B", 3, MISSING),
                _broken("0380-C", 2, REDATED),
                _broken("0380-D", 2, MOVED),
            ],
        }
        assert await chain_report(client) == expected

    async with replica(store_settings) as restarted:  # its index is rebuilt from the log
        assert await chain_report(restarted, limit=2) == expected


async def test_reads_after_tampering_link_on_and_the_break_stays_named(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as client:
        referral_id = await case_read(client, "0380-A", reads=2)
        delete_record(store_settings, client.store, record_id("0380-A", 2))  # type: ignore[attr-defined]
        await case_read(client, "0380-A", reads=0, target="safety_team")
        assert (await client.get(f"/api/v1/referrals/{referral_id}", headers=CASE_WORKER)).status_code == 200
        report = await chain_report(client)
    assert report["broken"] == [_broken("0380-A", 2, MISSING)]


async def test_records_stored_before_chaining_still_load_and_are_reported_as_unchained(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as client:
        store = client.store  # type: ignore[attr-defined]
        old = CaseAccess("0380-L", "staff-1", "0380", "GET /referrals/{referral_id}", "case work", "granted")
        store.save(old)

    def as_stored_before_chaining(state: dict[str, Any]) -> None:
        for name in ("municipality", "position", "previous_hash", "entry_hash", "content_hash"):
            del state[name]

    edit_json(store_settings, store, old.id, as_stored_before_chaining)
    async with replica(store_settings) as restarted:
        loaded = restarted.store.repository.get(old.id)  # type: ignore[attr-defined]
        assert (loaded.case_id, loaded.municipality, loaded.position) == ("0380-L", "0380", 0)
        assert await chain_report(restarted) == {"chains_checked": 0, "unchained_records": 1, "broken": []}
        await case_read(restarted, "0380-L", reads=1)  # the case's chain starts at position 1
        assert await chain_report(restarted) == {"chains_checked": 1, "unchained_records": 1, "broken": []}


async def test_only_ops_may_check_the_access_chains(tmp_path: Path) -> None:
    async with replica(make_settings(tmp_path)) as client:
        response = await client.get(CHAINS, headers=CASE_WORKER)
    assert response.status_code == 403, response.text
