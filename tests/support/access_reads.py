"""A referrals replica in this process, reads of a case's data over HTTP, and its access chains."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from services.kit.domain.case_access import CaseAccess
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from tests.support.events import valid_pin
from tests.support.tokens import bearer

CASE_WORKER = bearer("0380", ("case_worker",))
OPS = bearer("0380", ("ops",), subject="ops-1")
CHAINS = "/api/v1/ops/access-chains"


@asynccontextmanager
async def replica(settings: ServiceSettings) -> AsyncIterator[httpx.AsyncClient]:
    """A referrals app on ``settings``' store, no broker; its store is ``client.store``."""
    app = create_app(settings, start_runtime=False)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://referrals")
    client.store = app.state.runtime.app  # type: ignore[attr-defined]
    try:
        yield client
    finally:
        await client.aclose()
        app.state.runtime.app.close()


async def refer(client: httpx.AsyncClient, case_id: str, target: str = "network_centre") -> str:
    """A referral of ``case_id`` (one access record: the answer carries the case); its id.  A case
    has one open referral to each target: a second one needs the other target."""
    body = {
        "case_id": case_id,
        "target": target,
        "child": {"pin": valid_pin(7), "protected_identity": False},
        "child_status": "placed",
        "case_worker_id": "cw-1",
        "reason": "network strengthening",
    }
    response = await client.post("/api/v1/referrals", json=body, headers=CASE_WORKER)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def read(client: httpx.AsyncClient, referral_id: str) -> httpx.Response:
    return await client.get(f"/api/v1/referrals/{referral_id}", headers=CASE_WORKER)


async def case_read(
    client: httpx.AsyncClient, case_id: str, reads: int, target: str = "network_centre"
) -> str:
    """A referral of ``case_id`` read ``reads`` times: ``reads + 1`` access records."""
    referral_id = await refer(client, case_id, target)
    for _ in range(reads):
        assert (await read(client, referral_id)).status_code == 200
    return referral_id


async def chain_report(client: httpx.AsyncClient, limit: int = 50) -> dict[str, Any]:
    """Every page of the ops report, added up."""
    report: dict[str, Any] = {"chains_checked": 0, "unchained_records": 0, "broken": []}
    cursor = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(CHAINS, params=params, headers=OPS)
        assert response.status_code == 200, response.text
        page = response.json()
        for name in ("chains_checked", "unchained_records", "broken"):
            report[name] += page[name]
        if (cursor := page["next_cursor"]) is None:
            return report


def record_id(case_id: str, position: int) -> Any:
    return CaseAccess.id_for("referrals", "0380", case_id, position)


def positions(store: Any, case_id: str) -> list[int]:
    """The positions of the case's access records in the store, in notification order."""
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e.position for e in events if isinstance(e, CaseAccess.Recorded) and e.case_id == case_id]
