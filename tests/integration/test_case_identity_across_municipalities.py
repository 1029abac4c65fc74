"""The same case id in two municipalities is two cases (ARCHITECTURE §2.5, ADR 0016).

Placements arrive on the real broker; the case store is read over HTTP with each
municipality's tokens, on SQLite and on PostgreSQL.  Neither municipality sees,
blocks or reads the other's case.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import encode, placement_started
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
KINDS = {"0380": "natverkshem", "1980": "familjehem"}
CASE_WORKER = {m: bearer(m, ("case_worker",), subject=f"cw-{m}") for m in KINDS}
AUDITOR = {m: bearer(m, ("auditor",), subject=f"auditor-{m}") for m in KINDS}
OPS = bearer("0380", ("ops",), subject="ops-1")


async def _timeline(client: httpx.AsyncClient, case_id: str, municipality: str) -> dict | None:
    response = await client.get(f"/api/v1/cases/{case_id}/timeline", headers=CASE_WORKER[municipality])
    return response.json() if response.status_code == 200 else None


async def test_the_same_case_id_placed_in_two_municipalities_is_two_timelines_and_two_access_logs(
    settings: ServiceSettings,
) -> None:
    case_id = f"SAME-{uuid.uuid4().hex[:6]}"
    app = create_case_store(settings)
    async with serving(app) as case_store:
        for municipality, kind in KINDS.items():  # 0380 first: its case id is "taken" before 1980's
            event = placement_started(
                case_id, f"P-{municipality}", municipality=municipality, placement_type=kind
            )
            await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(event)], key=case_id.encode())

        timelines = {m: await eventually(lambda m=m: _timeline(case_store, case_id, m)) for m in KINDS}
        verified = {
            m: (await case_store.get(f"/api/v1/cases/{case_id}/verify", headers=AUDITOR[m])).json()
            for m in KINDS
        }
        logs = {
            m: (await case_store.get(f"/api/v1/cases/{case_id}/access-log", headers=AUDITOR[m])).json()
            for m in KINDS
        }
        period = {"from": "2026-11-01", "to": "2026-12-31"}
        statistics = (
            await case_store.get("/api/v1/statistics/placements", params=period, headers=OPS)
        ).json()
        chains = (await case_store.get("/api/v1/audit/verify", headers=OPS)).json()

    for municipality, kind in KINDS.items():
        timeline = timelines[municipality]
        assert timeline["municipality"] == municipality
        assert [e["summary"] for e in timeline["items"]] == [f"Placement started: {kind} under SoL"]
        assert [e["source"] for e in timeline["items"]] == [f"urn:se:kommun:{municipality}:case-system"]
        assert verified[municipality]["ok"] is True and verified[municipality]["entries_checked"] == 1
        readers = {(r["actor"], r["actor_municipality"]) for r in logs[municipality]["items"]}
        assert readers == {(f"cw-{municipality}", municipality), (f"auditor-{municipality}", municipality)}
    by_municipality = {m["municipality"]: m for m in statistics["municipalities"]}
    assert {m: (f["children"], f["by_type"]) for m, f in by_municipality.items()} == {
        "0380": (1, {"natverkshem": 1}),
        "1980": (1, {"familjehem": 1}),
    }
    assert chains["problems"] == [] and chains["chains_checked"] >= 2


async def test_a_case_id_only_another_municipality_has_is_absent_for_the_reader_and_unlogged_there(
    settings: ServiceSettings,
) -> None:
    case_id = f"ONLY-{uuid.uuid4().hex[:6]}"
    app = create_case_store(settings)
    async with serving(app) as case_store:
        event = placement_started(case_id, "P-1", municipality="1980", placement_type="familjehem")
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(event)], key=case_id.encode())
        await eventually(lambda: _timeline(case_store, case_id, "1980"))
        mine = await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=CASE_WORKER["0380"])
        theirs_log = await case_store.get(f"/api/v1/cases/{case_id}/access-log", headers=AUDITOR["1980"])
    assert mine.status_code == 404
    assert {r["actor_municipality"] for r in theirs_log.json()["items"]} == {"1980"}
