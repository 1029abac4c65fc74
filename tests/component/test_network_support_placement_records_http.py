"""What a case system's placement records, as they really arrive, leave in network_support: through
the kit's real tracking consumer, read over HTTP with a JWT.  An end before its start, a start date
corrected, a change for a placement that started before anyone listened (and the start, naming its
case worker, after it), a protected child, and facts dated after the placement ended."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.component.conftest import network_support_fed
from tests.support.events import cloud_event, placement_data, placement_ended, placement_started
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
TODAY = date(2026, 12, 3)


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, today 2026-12-03, with ``feed`` handing its placements consumer a CloudEvent."""
    async with network_support_fed(tmp_path, date(2026, 12, 3)) as client:
        yield client


def changed(case_id: str, placement_id: str, **data: Any) -> dict[str, Any]:
    return cloud_event("se.placement.changed.v1", placement_data(case_id, placement_id, **data))


async def placement(client: httpx.AsyncClient, placement_id: str) -> dict[str, Any]:
    answer = await client.get(f"/api/v1/placements/{placement_id}", headers=WORKER)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def worklist(client: httpx.AsyncClient) -> list[tuple[str, str]]:
    answer = await client.get("/api/v1/worklist", headers=WORKER)
    assert answer.status_code == 200, answer.text
    return [(item["case_id"], item["obligation"]) for item in answer.json()["items"]]


async def test_an_end_delivered_before_its_start_leaves_no_clock_and_no_inquiry_open(network_support) -> None:
    await network_support.feed(placement_ended("C-1", "P-1", end_reason="breakdown"))
    await network_support.feed(placement_started("C-1", "P-1"))
    shown = await placement(network_support, "P-1")
    assert (shown["ended_on"], shown["due"], shown["inquiry"]) == ("2026-12-20", {}, None)
    network_support.store.today = lambda: date(2027, 2, 1)
    assert network_support.store.check_deadlines() == 0
    assert network_support.store.check_inquiry_deadlines() == 0
    assert await worklist(network_support) == []


async def test_a_start_date_corrected_by_a_change_moves_the_clocks_and_takes_what_was_done(
    network_support,
) -> None:
    """A start typed a year ahead made every fact of the real first week "before the placement"."""
    await network_support.feed(
        cloud_event("se.placement.started.v1", placement_data("C-2", "P-2", start_date="2027-11-20"))
    )
    await network_support.feed(changed("C-2", "P-2", start_date="2026-11-20"))
    shown = await placement(network_support, "P-2")
    assert (shown["started_on"], shown["due"]["parent_support"]) == ("2026-11-20", "2026-11-27")
    offered = await network_support.post(
        "/api/v1/placements/P-2/parent-support/offers", json={"on": "2026-11-25"}, headers=WORKER
    )
    assert offered.status_code == 200, offered.text


async def test_a_start_date_corrected_by_the_start_sent_again_moves_the_clocks(network_support) -> None:
    await network_support.feed(
        cloud_event("se.placement.started.v1", placement_data("C-2", "P-2", start_date="2027-11-20"))
    )
    await network_support.feed(
        cloud_event("se.placement.started.v1", placement_data("C-2", "P-2", start_date="2026-11-20"))
    )
    assert (await placement(network_support, "P-2"))["due"]["health_examination"] == "2026-12-20"


async def test_a_corrected_start_that_makes_a_clock_overdue_is_noted_once_and_one_no_longer_overdue_again(
    network_support,
) -> None:
    await network_support.feed(
        cloud_event("se.placement.started.v1", placement_data("C-2", "P-2", start_date="2026-11-01"))
    )
    assert network_support.store.check_deadlines() == 3  # parent support, health and dental examinations
    await network_support.feed(changed("C-2", "P-2", start_date="2026-11-30"))
    assert network_support.store.check_deadlines() == 0  # the examinations are due 2026-12-30 now
    assert (await placement(network_support, "P-2"))["deadlines_passed"] == []
    network_support.store.today = lambda: date(2026, 12, 31)
    assert network_support.store.check_deadlines() == 3


async def test_a_change_to_a_placement_started_before_anyone_listened_opens_only_its_own_clocks(
    network_support,
) -> None:
    """The school clock and, the child being in an emergency home, the decision on lasting care,
    both from the change's day (2026-11-20): none from a start years back."""
    await network_support.feed(changed("C-3", "P-3", start_date="2024-01-10", school_change=True))
    shown = await placement(network_support, "P-3")
    due = {"school_start": "2026-11-27", "lasting_care_decision": "2027-05-20"}
    assert (shown["due"], shown["inquiry"]) == (due, None)
    assert sorted(await worklist(network_support)) == [
        ("C-3", "lasting_care_decision"),
        ("C-3", "school_start"),
    ]


async def test_the_start_delivered_after_such_a_change_opens_the_start_clocks_and_the_inquiry(
    network_support,
) -> None:
    await network_support.feed(changed("C-3", "P-3", school_change=True))
    await network_support.feed(placement_started("C-3", "P-3"))
    shown = await placement(network_support, "P-3")
    assert sorted(shown["due"]) == [
        "dental_examination",
        "health_examination",
        "lasting_care_decision",
        "parent_support",
        "school_start",
    ]
    assert shown["inquiry"] == {"outcome": None, "candidates": []}


@pytest.mark.parametrize(("protected", "placement_type"), [(True, "familjehem"), (False, "skyddat_boende")])
async def test_a_protected_child_or_one_in_protected_housing_gets_no_network_placement_inquiry(
    network_support, protected: bool, placement_type: str
) -> None:
    """Asking the child's network for a home would tell it where the child is."""
    await network_support.feed(
        placement_started("C-5", "P-5", protected_identity=protected, placement_type=placement_type)
    )
    shown = await placement(network_support, "P-5")
    assert (shown["inquiry"], shown["protected_identity"]) == (None, protected)
    assert "network_placement_inquiry" not in {
        obligation for _, obligation in await worklist(network_support)
    }


async def test_a_fact_dated_after_the_placement_ended_is_refused_and_names_no_value(network_support) -> None:
    ended = placement_data(
        "C-6", "P-6", start_date="2026-10-01", end_date="2026-10-03", end_reason="breakdown"
    )
    await network_support.feed(placement_started("C-6", "P-6", start_date="2026-10-01"))
    await network_support.feed(cloud_event("se.placement.ended.v1", ended))
    for path, body in (
        ("examinations", {"kind": "health", "on": "2026-12-01"}),
        ("parent-support/offers", {"on": "2026-12-01"}),
    ):
        refused = await network_support.post(f"/api/v1/placements/P-6/{path}", json=body, headers=WORKER)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "after_placement"), (
            refused.text
        )
        assert "2026-12-01" not in refused.text
    late = await network_support.post(
        "/api/v1/placements/P-6/examinations", json={"kind": "health", "on": "2026-10-02"}, headers=WORKER
    )
    assert late.status_code == 200, late.text  # recorded late, dated within the placement


async def test_a_start_delivered_after_a_change_makes_the_case_worker_it_names_responsible(
    network_support,
) -> None:
    """The change named no case worker; the start that came after it is the first to name one."""
    await network_support.feed(changed("C-3", "P-3", school_change=True))
    await network_support.feed(placement_started("C-3", "P-3", case_worker_id="hl-7"))
    answer = await network_support.get("/api/v1/worklist", headers=WORKER)
    assigned = {
        item["obligation"]: item["assignee"]
        for item in answer.json()["items"]
        if item["responsible_role"] == "case_worker"
    }
    clocks = ("dental_examination", "health_examination", "lasting_care_decision", "school_start")
    assert assigned == dict.fromkeys(clocks, "hl-7")


async def test_a_start_sent_again_saying_the_school_changed_opens_the_school_clock_from_the_start(
    network_support,
) -> None:
    """The case system corrected its first start, which said no change of school: the corrected
    one opens the school clock (SAMS: no more than a week without schooling), from the start."""
    first = cloud_event("se.placement.started.v1", placement_data("C-7", "P-7", start_date="2026-11-30"))
    await network_support.feed(first)
    corrected = placement_data("C-7", "P-7", start_date="2026-11-30", school_change=True)
    await network_support.feed(cloud_event("se.placement.started.v1", corrected))
    assert (await placement(network_support, "P-7"))["due"]["school_start"] == "2026-12-07"
    assert ("C-7", "school_start") in await worklist(network_support)
