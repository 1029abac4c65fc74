"""A placement's end told again with another day (ADR 0033, "Corrections"): the home-return rules
take the day last told, while the placement's clocks, what was published of them and the reports
keep the end first told, so the placement view and the statistics never disagree.

Records through the real tracking consumer; the placement and the report read over HTTP with a JWT.
"""

from __future__ import annotations

from datetime import date

from tests.component.conftest import service_app
from tests.component.test_network_support_home_return_records_in_any_order_http import (
    WORKER,
    ended,
    network_support,
)
from tests.support.events import placement_started
from tests.support.tokens import bearer

__all__ = ["network_support"]
COORDINATOR = bearer("0380", ("coordinator",), subject="coordinator-1")


async def placement_and_report(client) -> tuple[dict, dict]:
    placement = (await client.get("/api/v1/placements/P-1", headers=WORKER)).json()
    report = await client.get(
        "/api/v1/reports/parent-support", params={"month": "2026-11"}, headers=COORDINATOR
    )
    return placement, report.json()["municipalities"][0]


async def test_an_end_told_again_later_counts_no_parent_support_missed_that_its_clock_closed(
    network_support,
) -> None:
    await network_support.feed(placement_started("C-1", "P-1", start_date="2026-11-01"))
    await network_support.feed(ended("P-1", "2026-11-01", "2026-11-05", "breakdown"))
    await network_support.feed(ended("P-1", "2026-11-01", "2026-11-30", "breakdown"))

    placement, report = await placement_and_report(network_support)

    assert placement["closed"].get("parent_support") == "placement_ended"
    assert "parent_support" not in placement["deadlines_passed"]
    assert report["not_offered"] == 0


async def test_an_end_told_again_earlier_keeps_counting_the_parent_support_missed_as_published(
    network_support,
) -> None:
    app = service_app(network_support)
    await network_support.feed(placement_started("C-1", "P-1", start_date="2026-11-01"))
    app.today = lambda: date(2026, 11, 20)
    assert app.check_deadlines() == 1  # parent support noted missed, and published
    await network_support.feed(ended("P-1", "2026-11-01", "2026-11-25", "breakdown"))
    await network_support.feed(ended("P-1", "2026-11-01", "2026-11-05", "breakdown"))
    app.today = lambda: date(2026, 12, 3)

    placement, report = await placement_and_report(network_support)

    assert "parent_support" in placement["deadlines_passed"]
    assert report["not_offered"] == 1
