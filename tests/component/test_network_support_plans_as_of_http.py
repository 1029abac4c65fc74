"""The safety plan and the support plan as they were on a day (issue 16 item 5), over HTTP.

``?as_of=<date>`` reads a plan from its events recorded by the end of that day (Europe/Stockholm);
a plan that did not exist yet is the same 404 as one that does not exist at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from services.kit.domain.swedish_time import swedish_day
from services.network_support.app import create_app
from tests.component.conftest import in_process, service_app
from tests.conftest import make_settings
from tests.support.clock import EventClock, stamping_events_at
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
GAVLE = bearer("2180", ("case_worker",))
SAFETY = "/api/v1/cases/C-1/safety-plan"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> EventClock:
    """When stored events are stamped: moved by a test that reads a plan as of a day."""
    return stamping_events_at(monkeypatch, datetime(2027, 1, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
async def network_support(tmp_path: Path, clock: EventClock) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    # Today is the Swedish day the events are stamped on, as in the service: a plan drafted on
    # 10 January takes facts dated from then on.
    app.state.runtime.app.today = lambda: swedish_day(clock.now)
    async with in_process(app, "http://network-support") as client:
        yield client


async def test_a_revised_safety_plan_reads_as_it_was_before_and_after_the_revision(
    network_support, clock
) -> None:
    assert (await network_support.post(SAFETY, headers=WORKER)).status_code == 201
    clock.now = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)
    revised = await network_support.post(f"{SAFETY}/revisions", headers=WORKER, json={"on": "2027-01-20"})
    assert revised.json()["version"] == 2
    before = await network_support.get(SAFETY, headers=WORKER, params={"as_of": "2027-01-15"})
    after = await network_support.get(SAFETY, headers=WORKER, params={"as_of": "2027-01-20"})
    assert (before.status_code, before.json()["version"]) == (200, 1)
    assert (after.status_code, after.json()["version"]) == (200, 2)


async def test_a_safety_plan_read_as_of_a_day_before_it_was_drafted_is_absent(network_support) -> None:
    await network_support.post(SAFETY, headers=WORKER)
    earlier = await network_support.get(SAFETY, headers=WORKER, params={"as_of": "2027-01-09"})
    assert earlier.status_code == 404


async def test_the_day_as_of_ends_at_midnight_in_stockholm_not_in_utc(network_support, clock) -> None:
    await network_support.post(SAFETY, headers=WORKER)
    clock.now = datetime(2027, 1, 20, 23, 30, tzinfo=UTC)  # 00:30 on 21 January in Stockholm
    await network_support.post(f"{SAFETY}/revisions", headers=WORKER, json={"on": "2027-01-20"})
    on_the_20th = await network_support.get(SAFETY, headers=WORKER, params={"as_of": "2027-01-20"})
    assert on_the_20th.json()["version"] == 1


async def test_another_municipality_reading_a_plan_as_of_a_day_gets_the_same_404(network_support) -> None:
    await network_support.post(SAFETY, headers=WORKER)
    theirs = await network_support.get(SAFETY, headers=GAVLE, params={"as_of": "2027-01-15"})
    assert theirs.status_code == 404


async def test_a_support_plan_reads_without_the_goal_added_after_the_day_asked_for(
    network_support, clock
) -> None:
    service_app(network_support).referral_accepted("R-1", "C-1", "0380", "network_centre")
    clock.now = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)
    goal = {"goal": "Visits every week"}
    await network_support.post("/api/v1/referrals/R-1/support-plan/goals", headers=WORKER, json=goal)
    for path in ("/api/v1/cases/C-1/support-plan", "/api/v1/referrals/R-1/support-plan"):
        before = await network_support.get(path, headers=WORKER, params={"as_of": "2027-01-31"})
        after = await network_support.get(path, headers=WORKER, params={"as_of": "2027-02-01"})
        assert (before.json()["goals"], after.json()["goals"]) == ([], ["Visits every week"]), path


async def test_a_support_plan_read_as_of_a_day_before_the_referral_was_accepted_is_absent(
    network_support,
) -> None:
    service_app(network_support).referral_accepted("R-1", "C-1", "0380", "network_centre")
    for path in ("/api/v1/cases/C-1/support-plan", "/api/v1/referrals/R-1/support-plan"):
        earlier = await network_support.get(path, headers=WORKER, params={"as_of": "2027-01-09"})
        assert earlier.status_code == 404, path


@pytest.mark.parametrize(
    "day", ["0", "1700000000", "2027-01-20T00:00:00", "2027-01-20T00:00:00Z", "20270120"]
)
async def test_a_day_not_written_as_yyyy_mm_dd_is_refused_without_echoing_it(network_support, day) -> None:
    assert (await network_support.post(SAFETY, headers=WORKER)).status_code == 201
    response = await network_support.get(SAFETY, headers=WORKER, params={"as_of": day})
    assert response.status_code == 422
    assert day not in response.text and "YYYY-MM-DD" in response.text
