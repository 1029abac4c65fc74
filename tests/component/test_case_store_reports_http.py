"""The case store's reports over HTTP (issue 16, items 1 and 6): a type change counted for the time
each type held, and the Stockholm table by district with small counts suppressed, as JSON and CSV."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.case_store.app import create_app
from services.case_store.inbound import consumers, timeline_handler
from services.kit.inbound import parse_record
from tests.component.test_case_store_http import store_of
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode, placement_data
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",))
OPS = bearer("0380", ("ops",))
QUARTER = {"from": "2026-01-01", "to": "2026-03-31"}


@pytest.fixture
async def case_store(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://case-store"
    ) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def placed(client, case_id: str, kind: str = "familjehem", district: str | None = None, **data: Any) -> None:
    extra = {"district": district} if district else {}
    event = cloud_event(
        "se.placement.started.v1",
        placement_data(
            case_id, f"P-{case_id}", placement_type=kind, start_date="2026-01-10", **extra, **data
        ),
        time="2026-01-10T09:00:00Z",
    )
    timeline_handler(store_of(client))(parse_record(encode(event)))


def changed(client, case_id: str, kind: str, on: str) -> None:
    data = placement_data(case_id, f"P-{case_id}", placement_type=kind, start_date="2026-01-10")
    event = cloud_event("se.placement.changed.v1", data, time=f"{on}T09:00:00Z")
    timeline_handler(store_of(client))(parse_record(encode(event)))


async def by_type(client, period: dict[str, str]) -> dict[str, int]:
    response = await client.get("/api/v1/statistics/placements", params=period, headers=OPS)
    return response.json()["municipalities"][0]["by_type"]


async def test_a_type_change_counts_each_type_for_the_months_it_held(case_store) -> None:
    placed(case_store, "0380-T1", kind="jourhem")
    changed(case_store, "0380-T1", "familjehem", on="2026-02-01")
    assert await by_type(case_store, {"from": "2026-01-01", "to": "2026-01-31"}) == {"jourhem": 1}
    assert await by_type(case_store, {"from": "2026-03-01", "to": "2026-03-31"}) == {"familjehem": 1}
    quarter = await case_store.get("/api/v1/statistics/placements", params=QUARTER, headers=OPS)
    [uppsala] = quarter.json()["municipalities"]
    assert uppsala["by_type"] == {"familjehem": 1, "jourhem": 1} and uppsala["children"] == 1


async def test_the_district_table_suppresses_small_counts_for_a_coordinator_but_not_for_ops(
    case_store,
) -> None:
    for n in range(6):
        placed(case_store, f"0380-K{n}", district="Kista")
    placed(case_store, "0380-K9", kind="hvb", district="Kista")
    placed(case_store, "0380-X1")
    shown = await case_store.get("/api/v1/statistics/districts", params=QUARTER, headers=COORDINATOR)
    full = await case_store.get("/api/v1/statistics/districts", params=QUARTER, headers=OPS)
    kista, unknown, total = shown.json()["rows"]
    assert shown.json()["suppressed"] is True and (kista["district"], unknown["district"]) == (
        "Kista",
        "okänt",
    )
    assert kista["by_type"]["hvb"] == "*" and unknown["total"] == "*" and total["by_type"]["hvb"] == "*"
    assert "*" in (kista["total"], kista["by_type"]["familjehem"])  # the 1 cannot be worked out
    ops_kista = full.json()["rows"][0]
    assert full.json()["suppressed"] is False
    assert (ops_kista["by_type"]["familjehem"], ops_kista["by_type"]["hvb"], ops_kista["total"]) == (6, 1, 7)


async def test_the_district_table_comes_as_csv_with_a_column_per_type_and_a_total(case_store) -> None:
    for n in range(5):
        placed(case_store, f"0380-S{n}", kind="jourhem", district="Södermalm")
    response = await case_store.get(
        "/api/v1/statistics/districts", params={**QUARTER, "format": "csv"}, headers=COORDINATOR
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    header, *rows = response.text.splitlines()
    assert header.split(",")[:4] == ["municipality", "district", "jourhem", "familjehem"]
    assert header.endswith(",total")
    assert rows == ["0380,Södermalm,5,0,0,0,0,0,0,0,5", "0380,totalt,5,0,0,0,0,0,0,0,5"]


async def test_the_placement_statistics_come_as_csv_too_with_small_counts_hidden_but_from_ops(
    case_store,
) -> None:
    placed(case_store, "0380-C1", kind="natverkshem")
    as_csv = {**QUARTER, "format": "csv"}
    ops = await case_store.get("/api/v1/statistics/placements", params=as_csv, headers=OPS)
    coordinator = await case_store.get("/api/v1/statistics/placements", params=as_csv, headers=COORDINATOR)
    assert ops.headers["content-type"].startswith("text/csv")
    header = "municipality,children,natverkshem,breakdowns,re_placements,home_returns,kinship_share"
    assert ops.text.splitlines() == [header, "0380,1,1,0,0,0,1.0"]
    assert coordinator.text.splitlines() == [header, "0380,*,*,0,0,0,*"]


async def test_the_placement_statistics_hide_from_a_coordinator_what_the_district_table_hides(
    case_store,
) -> None:
    """Otherwise the totals of one give the other's hidden cells away: Norr's 2 children in sis
    are hidden in the table with the sis total; the statistics must not show that total."""
    for n in range(2):
        placed(case_store, f"0380-NS{n}", kind="sis", district="Norr")
    for n in range(10):
        placed(case_store, f"0380-NF{n}", kind="familjehem", district="Norr")
    for n in range(12):
        placed(case_store, f"0380-SF{n}", kind="familjehem", district="Syd")
    table = await case_store.get("/api/v1/statistics/districts", params=QUARTER, headers=COORDINATOR)
    statistics = await case_store.get("/api/v1/statistics/placements", params=QUARTER, headers=COORDINATOR)
    totals = next(row for row in table.json()["rows"] if row["district"] == "totalt")
    [uppsala] = statistics.json()["municipalities"]
    assert totals["by_type"]["sis"] == "*" and uppsala["by_type"]["sis"] == "*"
    assert uppsala["by_type"] == {kind: totals["by_type"][kind] for kind in uppsala["by_type"]}
    assert uppsala["children"] == totals["total"]


async def test_a_case_worker_may_not_read_the_district_table(case_store) -> None:
    response = await case_store.get(
        "/api/v1/statistics/districts", params=QUARTER, headers=bearer("0380", ("case_worker",))
    )
    assert response.status_code == 403


async def test_a_period_given_in_seconds_since_1970_is_refused_not_counted_from_1970(case_store) -> None:
    response = await case_store.get(
        "/api/v1/statistics/districts", params={"from": "0", "to": "2026-12-31"}, headers=OPS
    )
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.text


async def test_a_placement_event_delivered_again_counts_once_in_the_statistics(case_store) -> None:
    """A repeated CloudEvent (same source and id) has its effect once (ARCHITECTURE §3): the
    statistics too, not only the timeline.  Through the kit's real tracking consumer."""
    store = store_of(case_store)
    [placements] = [spec for spec in consumers(store) if spec.topic == PLACEMENTS]
    feed = fed_by_hand(in_process_consumer(store, placements, "repeats")[0], PLACEMENTS)

    def event(event_type: str, event_id: str, on: str, **data: Any) -> bytes:
        facts = placement_data("0380-R1", "P-0380-R1", start_date="2026-01-10", **data)
        return encode(cloud_event(event_type, facts, event_id, time=f"{on}T09:00:00Z"))

    started = event("se.placement.started.v1", "e-start", "2026-01-10", district="Kista")
    to_hvb = event("se.placement.changed.v1", "e-hvb", "2026-02-01", placement_type="hvb", district="Rinkeby")
    to_sis = event("se.placement.changed.v1", "e-sis", "2026-02-15", placement_type="sis", district="Rinkeby")
    for value in (started, to_hvb, to_sis, to_hvb, started):
        await feed(value)
    assert await by_type(case_store, {"from": "2026-03-01", "to": "2026-03-31"}) == {"sis": 1}
    districts = await case_store.get("/api/v1/statistics/districts", params=QUARTER, headers=OPS)
    assert [row["district"] for row in districts.json()["rows"]][:-1] == ["Rinkeby"]
