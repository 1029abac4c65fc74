"""What an insider with write access to the case store's data folder can still do unseen (issue 14).

Each test edits the store or the files beside it behind the service's back, as the tamper
matrix does, and asserts what issue 14 asks verification to say.  SQLite only: the holes are
in what verification compares, not in a backend.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.case_store.checkpoints import CHECKPOINT_FILE_NAME
from services.case_store.domain.access_log import AccessRecordSeen, CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline
from services.kit.domain.case_access import CaseAccess
from services.kit.settings import ServiceSettings
from tests.conftest import make_settings
from tests.support.access_reads import case_read, chain_report, record_id, replica
from tests.support.apps import case_store
from tests.support.store_sql import delete_versions, events_table, execute, fetch, states, stored_id
from tests.support.tokens import bearer

CASE = "0380-M1"
OPS = bearer("0380", ("ops",), subject="ops-1")
AUDITOR = bearer("0380", ("auditor",), subject="auditor-1")
OCCURRED = datetime(2026, 11, 20, 10, tzinfo=UTC)
TIMELINE = CaseTimeline.id_for("0380", CASE)
ACCESS_LOG = CaseAccessLog.id_for("0380", CASE)


def add_entries(client: TestClient, first: int, count: int) -> None:
    store = client.app.state.runtime.app
    for n in range(first, first + count):
        store.record_event(CASE, "0380", f"k{n}", OCCURRED, "referrals", "se.x.v1", "cw-1", f"summary {n}")


def add_reads(client: TestClient, first: int, count: int) -> None:
    store = client.app.state.runtime.app
    for n in range(first, first + count):
        store.record_access(
            CASE, "reader-1", "0380", "GET /x", "case work", "granted", "0380",
            service="scheduling", source_key=f"/natverk/scheduling|{n}",
        )  # fmt: skip


@pytest.fixture
def signed(tmp_path: Path) -> ServiceSettings:
    """A case with four timeline entries and three reads from another service, then a checkpoint."""
    settings = make_settings(tmp_path)
    with case_store(settings) as client:
        add_entries(client, 0, 4)
        add_reads(client, 0, 3)
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 201
    return settings


def verify(settings: ServiceSettings) -> dict[str, Any]:
    with case_store(settings) as client:
        response = client.get("/api/v1/audit/verify", headers=OPS)
    assert response.status_code == 200, response.text
    return response.json()


def anything_named(report: dict[str, Any]) -> bool:
    """What makes ``natverk verify`` exit 1 (``services/ops/chains.py``: ``anything_wrong``)."""
    return bool(report["problems"] or report["forged_checkpoints"] or report["unfiled_checkpoints"])


def remove_checkpoint_files(settings: ServiceSettings) -> None:
    (settings.data_dir / CHECKPOINT_FILE_NAME).unlink()
    for heads in (settings.data_dir / f"{CHECKPOINT_FILE_NAME}.heads").iterdir():
        heads.unlink()


def test_a_cut_tail_is_named_when_the_checkpoint_file_beside_the_store_is_deleted_too(
    signed: ServiceSettings,
) -> None:
    """The store itself holds the ``AuditCheckpoint`` it issued: a store with checkpoints on record
    and a file with none is a removed file, not a fresh start."""
    delete_versions(signed, TIMELINE, 4)  # the fourth and last entry (entry n is version n, ADR 0037)
    remove_checkpoint_files(signed)
    report = verify(signed)
    assert anything_named(report), report


def test_a_checkpoint_is_refused_after_the_checkpoint_file_is_deleted_and_the_store_edited(
    signed: ServiceSettings,
) -> None:
    """Otherwise the next periodic checkpoint (issued when none is on file) signs over the edit."""
    delete_versions(signed, TIMELINE, 4)
    remove_checkpoint_files(signed)
    with case_store(signed) as client:
        response = client.post("/api/v1/audit/checkpoints", headers=OPS)
    assert response.status_code == 409, response.text


def test_a_cut_tail_is_named_when_the_latest_checkpoint_line_is_removed_from_the_file(
    signed: ServiceSettings,
) -> None:
    """Rolling the file back to an older checkpoint widens the window an edit goes unseen in."""
    with case_store(signed) as client:
        add_entries(client, 4, 2)  # positions 5 and 6
        assert client.post("/api/v1/audit/checkpoints", headers=OPS).status_code == 201
    file = signed.data_dir / CHECKPOINT_FILE_NAME
    first, _latest = file.read_text().splitlines()
    file.write_text(first + "\n")
    delete_versions(signed, TIMELINE, 6, 5)  # positions 6 and 5, both signed by the latest checkpoint
    report = verify(signed)
    assert anything_named(report), report


def test_a_read_forged_into_the_middle_of_a_chained_access_log_is_named(signed: ServiceSettings) -> None:
    """Records with ``chain`` 1 are left out of the walk wherever they stand, so one inserted between
    chained ones (framing someone for a read they never made) is shown and never checked."""
    stored = states(signed, ACCESS_LOG)
    forged = {
        **stored[3],
        "actor": "framed-colleague",
        "purpose": "curiosity",
        "source_key": "/natverk/scheduling|forged",
        "position": 0,
        "previous_hash": "",
        "entry_hash": "",
        "chain": 1,
    }
    table, log = events_table(signed), stored_id(signed, ACCESS_LOG)
    # Make room at version 3 (the second record) by moving versions 3 and 4 up by one.
    execute(
        signed,
        f"UPDATE {table} SET originator_version = -originator_version"
        " WHERE originator_id = ? AND originator_version >= 3",
        (log,),
    )
    execute(
        signed,
        f"UPDATE {table} SET originator_version = 1 - originator_version"
        " WHERE originator_id = ? AND originator_version < 0",
        (log,),
    )
    execute(
        signed,
        f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (?, 3, ?, ?)",
        (
            log,
            "services.case_store.domain.access_log:CaseAccessLog.AccessRecorded",
            json.dumps(forged).encode(),
        ),
    )
    with case_store(signed) as client:
        shown = client.get(f"/api/v1/cases/{CASE}/access-log", headers=AUDITOR).json()["items"]
    assert "framed-colleague" in [record["actor"] for record in shown]  # the forgery is shown as a read
    report = verify(signed)
    assert anything_named(report), report


def test_a_read_relayed_by_another_service_is_logged_even_if_its_seen_marker_was_planted_beforehand(
    tmp_path: Path,
) -> None:
    """A local access record's CloudEvent id is ``<CaseAccess.id_for(service, municipality, case,
    position)>.1``: predictable.  A marker planted for it makes the case store drop the record."""
    settings = make_settings(tmp_path)
    future = CaseAccess.id_for("scheduling", "0380", CASE, 1)
    source_key = f"/natverk/scheduling|{future}.1"
    with case_store(settings) as client:
        add_entries(client, 0, 1)
        store = client.app.state.runtime.app
        store.save(AccessRecordSeen(source_key))  # the insider's one row, before the read happens
        store.record_access(
            CASE, "reader-1", "0380", "GET /x", "case work", "granted", "0380",
            service="scheduling", source_key=source_key,
        )  # fmt: skip  # what the inbound handler does when scheduling's record arrives
        shown = client.get(f"/api/v1/cases/{CASE}/access-log", headers=AUDITOR).json()["items"]
    assert [record["actor"] for record in shown if record["service"] == "scheduling"] == ["reader-1"]


async def test_a_read_forged_into_a_services_own_store_as_an_unchained_record_is_named(
    tmp_path: Path,
) -> None:
    """A record with position 0 looks like one stored before ADR 0020 and is only counted; its relay
    then publishes it, and the case store chains it as a genuine read."""
    settings = make_settings(tmp_path)
    async with replica(settings) as client:
        await case_read(client, "0380-F", reads=1)
        [(topic, state)] = fetch(
            settings,
            "SELECT topic, state FROM stored_events WHERE originator_id = ?",
            (record_id("0380-F", 1).hex,),
            service="referrals",
        )
        genuine = json.loads(bytes(state))
        forged = {
            **genuine,
            "actor": "framed-colleague",
            "position": 0,
            "previous_hash": "",
            "entry_hash": "",
        }
        forged = {**forged, "content_hash": ""}
        execute(
            settings,
            "INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
            (uuid4().hex, topic, json.dumps(forged).encode()),
            service="referrals",
        )
        report = await chain_report(client)
    assert report["unchained_records"] == 1  # seen, but only as a count
    assert report["broken"], report
