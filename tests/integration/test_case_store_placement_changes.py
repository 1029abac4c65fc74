"""A placement's type change on the real broker keeps history in the case store's statistics (issue 16,
item 1), on SQLite and on PostgreSQL: each type is counted for the months it held, a redelivered change
changes nothing, and the district the placement carries lands in the Stockholm table."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import PLACEMENTS
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import cloud_event, encode, placement_data
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
OPS = bearer("0380", ("ops",), subject="ops-1")
JANUARY, MARCH = {"from": "2026-01-01", "to": "2026-01-31"}, {"from": "2026-03-01", "to": "2026-03-31"}
QUARTER = {"from": "2026-01-01", "to": "2026-03-31"}


def placement_event(
    kind: str, case_id: str, placement_type: str, time: str, event_id: str | None = None
) -> bytes:
    data = placement_data(
        case_id, f"P-{case_id}", placement_type=placement_type, start_date="2026-01-10", district="Kista"
    )
    return encode(cloud_event(f"se.placement.{kind}.v1", data, event_id, time=time))


async def test_a_child_moved_from_jourhem_to_familjehem_counts_under_each_for_its_months(
    settings: ServiceSettings,
) -> None:
    case_id = f"0380-H-{uuid.uuid4().hex[:6]}"
    change_id = str(uuid.uuid4())
    records = [
        placement_event("started", case_id, "jourhem", "2026-01-10T09:00:00Z"),
        placement_event("changed", case_id, "familjehem", "2026-02-01T09:00:00Z", change_id),
        placement_event("changed", case_id, "familjehem", "2026-02-01T09:00:00Z", change_id),  # redelivered
    ]
    async with serving(create_case_store(settings)) as case_store:
        await produce(settings.kafka_bootstrap, PLACEMENTS, records, key=case_id.encode())

        async def figures(period: dict[str, str]) -> dict | None:
            response = await case_store.get("/api/v1/statistics/placements", params=period, headers=OPS)
            rows = response.json()["municipalities"]
            return rows[0] if rows and "familjehem" in str(rows) else None

        quarter = await eventually(lambda: figures(QUARTER))
        january = await case_store.get("/api/v1/statistics/placements", params=JANUARY, headers=OPS)
        march = await case_store.get("/api/v1/statistics/placements", params=MARCH, headers=OPS)
        table = await case_store.get("/api/v1/statistics/districts", params=QUARTER, headers=OPS)
    assert (quarter["children"], quarter["by_type"]) == (1, {"familjehem": 1, "jourhem": 1})
    assert january.json()["municipalities"][0]["by_type"] == {"jourhem": 1}
    assert march.json()["municipalities"][0]["by_type"] == {"familjehem": 1}
    kista = table.json()["rows"][0]
    assert (
        kista["district"],
        kista["by_type"]["jourhem"],
        kista["by_type"]["familjehem"],
        kista["total"],
    ) == (
        "Kista",
        1,
        1,
        1,
    )
