"""What the monthly SAMS and Stella reports count as missed, from placement records as a case system
sends them (through the kit's real tracking consumer), read over HTTP with a coordinator's JWT.  A
clock the placement's end closed within its 7 days was never missed, and one still within them is
not missed yet: both are listed, neither is counted as a miss."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.component.conftest import network_support_fed
from tests.support.events import cloud_event, placement_data, placement_started
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",), subject="coordinator-1")


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, today 2026-12-03, with ``feed`` handing its placements consumer a CloudEvent."""
    async with network_support_fed(tmp_path, date(2026, 12, 3)) as client:
        yield client


async def started(client: httpx.AsyncClient, placement_id: str, on: str, school_change: bool = True) -> None:
    case_id = f"C-{placement_id}"
    await client.feed(placement_started(case_id, placement_id, start_date=on, school_change=school_change))  # type: ignore[attr-defined]


async def ended(client: httpx.AsyncClient, placement_id: str, started_on: str, on: str) -> None:
    data = placement_data(
        f"C-{placement_id}", placement_id, start_date=started_on, end_date=on, end_reason="breakdown"
    )
    await client.feed(cloud_event("se.placement.ended.v1", data))  # type: ignore[attr-defined]


async def changed(client: httpx.AsyncClient, placement_id: str, started_on: str, on: str) -> None:
    """A change to a familjehem made on ``on``, saying the placement started ``started_on``."""
    data = placement_data(
        f"C-{placement_id}", placement_id, placement_type="familjehem", start_date=started_on
    )
    await client.feed(cloud_event("se.placement.changed.v1", data, time=f"{on}T10:00:00Z"))  # type: ignore[attr-defined]


async def recorded(client: httpx.AsyncClient, placement_id: str, what: str, on: str) -> None:
    answer = await client.post(f"/api/v1/placements/{placement_id}/{what}", json={"on": on}, headers=WORKER)
    assert answer.status_code in (200, 201), answer.text


async def report(client: httpx.AsyncClient, name: str, month: str = "2026-11") -> dict[str, Any]:
    answer = await client.get(f"/api/v1/reports/{name}", params={"month": month}, headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_a_school_clock_the_placements_end_closed_within_its_week_is_listed_but_not_counted_as_missed(
    network_support,
) -> None:
    await started(network_support, "P-1", "2026-11-02")
    await recorded(network_support, "P-1", "school-start", "2026-11-05")
    await started(network_support, "P-2", "2026-11-02")
    await ended(network_support, "P-2", "2026-11-02", "2026-11-04")
    sams = await report(network_support, "school-start")
    assert [(r["placement_id"], r["days"], r["still_open"]) for r in sams["rows"]] == [
        ("P-1", 3, False),
        ("P-2", 2, False),
    ]
    assert sams["share_within_week"] == 1.0


async def test_a_school_clock_still_within_its_week_is_listed_but_not_counted_yet(network_support) -> None:
    await started(network_support, "P-1", "2026-11-02")
    await recorded(network_support, "P-1", "school-start", "2026-11-05")
    await started(network_support, "P-2", "2026-11-28")
    sams = await report(network_support, "school-start")
    assert [(r["placement_id"], r["days"], r["still_open"]) for r in sams["rows"]] == [
        ("P-1", 3, False),
        ("P-2", 5, True),
    ]
    assert sams["share_within_week"] == 1.0


async def test_a_school_clock_whose_week_passed_before_the_placement_ended_counts_as_missed(
    network_support,
) -> None:
    await started(network_support, "P-1", "2026-11-02")
    await recorded(network_support, "P-1", "school-start", "2026-11-05")
    await started(network_support, "P-2", "2026-11-02")
    await ended(network_support, "P-2", "2026-11-02", "2026-11-20")
    assert (await report(network_support, "school-start"))["share_within_week"] == 0.5


async def test_parent_support_not_offered_to_a_placement_that_ended_within_its_week_is_not_a_miss(
    network_support,
) -> None:
    await started(network_support, "P-1", "2026-11-02", school_change=False)
    await ended(network_support, "P-1", "2026-11-02", "2026-11-04")
    [uppsala] = (await report(network_support, "parent-support"))["municipalities"]
    assert (uppsala["placements_started"], uppsala["not_offered"]) == (1, 0)
    assert uppsala["not_due"] == 1


async def test_parent_support_not_yet_offered_within_the_placements_first_week_is_not_a_miss(
    network_support,
) -> None:
    await started(network_support, "P-1", "2026-11-28", school_change=False)
    [uppsala] = (await report(network_support, "parent-support"))["municipalities"]
    assert (uppsala["placements_started"], uppsala["not_offered"]) == (1, 0)
    assert uppsala["not_due"] == 1


async def test_parent_support_not_offered_when_the_week_passed_while_the_placement_ran_is_a_miss(
    network_support,
) -> None:
    await started(network_support, "P-1", "2026-11-02", school_change=False)
    await ended(network_support, "P-1", "2026-11-02", "2026-11-20")
    await started(network_support, "P-2", "2026-11-02", school_change=False)
    await recorded(network_support, "P-2", "parent-support/offers", "2026-11-05")
    [uppsala] = (await report(network_support, "parent-support"))["municipalities"]
    figures = ("placements_started", "offered_within_week", "not_offered", "not_due")
    assert tuple(uppsala[name] for name in figures) == (2, 1, 1, 0)


async def test_a_placement_known_only_from_a_change_is_not_counted_in_the_parent_support_report(
    network_support,
) -> None:
    await changed(network_support, "P-1", "2026-11-02", on="2026-11-10")
    assert (await report(network_support, "parent-support"))["municipalities"] == []


async def test_a_placement_whose_start_arrives_after_its_change_is_counted_once_in_its_start_month(
    network_support,
) -> None:
    await changed(network_support, "P-1", "2026-10-30", on="2026-11-10")
    assert (await report(network_support, "parent-support", month="2026-10"))["municipalities"] == []
    await started(network_support, "P-1", "2026-11-02", school_change=False)  # late, dating it anew
    assert (await report(network_support, "parent-support", month="2026-10"))["municipalities"] == []
    [uppsala] = (await report(network_support, "parent-support"))["municipalities"]
    assert (uppsala["placements_started"], uppsala["not_offered"]) == (1, 1)
