"""network_support's four sweeps go on when one item's save loses a race (ADR 0025 addendum "a
sweep that loses a race goes on").  Each sweep notes a missed deadline as an event of the aggregate
it is about; another writer storing a version of that aggregate first (a staff command on it, or
another replica's sweep) makes the save conflict.  The sweep then skips that one item, which the
next run looks at again, and notes the rest of the run: each is published once across the replicas
and counted once, by the replica whose save stored it.

Two replicas on one store (``placements_fed``, made to race by ``tests.support.races``), placement
records through the kit's real tracking consumer, staff commands over HTTP with a JWT; what is published read through the
service's own publication table, the counters from each replica's ``/metrics``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from services.kit.worklist import local_today
from services.network_support.app import create_app
from services.network_support.inbound import consumers
from tests.component.conftest import placements_fed
from tests.conftest import make_settings
from tests.support.events import cloud_event, placement_data, placement_started
from tests.support.races import storing_after
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker",))
CASES = ("C-1", "C-2", "C-3")  # C-1's item is the first each sweep saves: the one that loses
STARTED = date(2026, 11, 20)  # the placements' start (tests.support.events), parent support due 7 days on


@dataclass(frozen=True)
class Sweep:
    job: str  # the periodic job's name on the application
    published: str  # the public event type of a note
    about: str  # the field of the published data naming the item (placement or case)
    counter: str | None  # the metric series counting notes, if any
    overdue: Callable[[httpx.AsyncClient], Awaitable[date]]  # three items overdue on the day returned
    staff: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]  # a command on C-1's item


def placement_id(case_id: str) -> str:
    return case_id.replace("C-", "P-")


def on(client: httpx.AsyncClient, day: date) -> None:
    client.store.today = lambda: day  # type: ignore[attr-defined]


async def both_on_the_overdue_day(one: httpx.AsyncClient, two: httpx.AsyncClient, how: Sweep) -> None:
    """The items ``how`` sweeps made overdue on ``one``, and both replicas living on that day."""
    day = await how.overdue(one)
    on(one, day)
    on(two, day)


async def placed(client: httpx.AsyncClient) -> date:
    """An emergency-home placement of each case: its parent support is overdue the day returned."""
    for case_id in CASES:
        await client.feed(placement_started(case_id, placement_id(case_id)))  # type: ignore[attr-defined]
    return STARTED + timedelta(days=8)


async def safety_plans(client: httpx.AsyncClient) -> date:
    """A safety plan drafted for each case: its follow-up is overdue the day returned."""
    on(client, STARTED)
    for case_id in CASES:
        drafted = await client.post(f"/api/v1/cases/{case_id}/safety-plan", headers=WORKER)
        assert drafted.status_code == 201, drafted.text
    return date.fromisoformat(drafted.json()["follow_up_due"]) + timedelta(days=1)


async def inquiries(client: httpx.AsyncClient) -> date:
    """The network-placement inquiry each placement opened today: without an outcome, overdue the
    day returned (``NATVERK_INQUIRY_OUTCOME_DAYS``, 30)."""
    await placed(client)
    return local_today() + timedelta(days=31)


async def gone_home(client: httpx.AsyncClient) -> date:
    """Each case's child went home on 2026-11-25 after a prepared return: the follow-up after it is
    overdue the day returned."""
    on(client, date(2026, 12, 3))
    for case_id in CASES:
        placement = placement_id(case_id)
        await client.feed(placement_started(case_id, placement, start_date="2026-06-01"))  # type: ignore[attr-defined]
        body = {"phase": "preparation", "on": "2026-10-01"}
        moved = await client.post(f"/api/v1/cases/{case_id}/home-return", headers=WORKER, json=body)
        assert moved.status_code == 200, moved.text
        end = {"start_date": "2026-06-01", "end_date": "2026-11-25", "end_reason": "home_return"}
        ended = cloud_event("se.placement.ended.v1", placement_data(case_id, placement, **end))
        await client.feed(ended)  # type: ignore[attr-defined]
    return date(2026, 12, 26)


SWEEPS = {
    "placement clocks": Sweep(
        "check_deadlines",
        "se.natverk.placement_follow_up.deadline_passed.v1",
        "placement_id",
        'natverk_follow_up_deadlines_passed_total{clock="parent_support",municipality="0380"}',
        placed,
        lambda c: c.post(
            "/api/v1/placements/P-1/examinations", headers=WORKER, json={"kind": "health", "on": "2026-11-25"}
        ),
    ),
    "safety-plan follow-ups": Sweep(
        "check_safety_follow_ups",
        "se.natverk.safety_plan.follow_up_overdue.v1",
        "case_id",
        'natverk_safety_plan_follow_ups_overdue_total{municipality="0380"}',
        safety_plans,
        lambda c: c.post(
            "/api/v1/cases/C-1/safety-plan/danger-statements",
            headers=WORKER,
            json={"statement": "Danger", "safety_goal": "Safe", "scale": 3, "on": "2026-11-20"},
        ),
    ),
    "network-placement inquiries": Sweep(
        "check_inquiry_deadlines",
        "se.natverk.network_placement_inquiry.outcome_overdue.v1",
        "placement_id",
        None,
        inquiries,
        lambda c: c.post("/api/v1/placements/P-1/inquiry/candidates", headers=WORKER),
    ),
    "home-return follow-ups": Sweep(
        "check_home_return_follow_ups",
        "se.natverk.home_return.follow_up_overdue.v1",
        "case_id",
        'natverk_home_return_follow_ups_overdue_total{municipality="0380"}',
        gone_home,
        lambda c: c.post(
            "/api/v1/cases/C-1/home-return", headers=WORKER, json={"phase": "completed", "on": "2026-12-26"}
        ),
    ),
}


@pytest.fixture
async def two_replicas(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Two replicas of the service on one store."""
    settings = make_settings(tmp_path)
    async with (
        placements_fed(create_app(settings, start_runtime=False), consumers, "http://one") as one,
        placements_fed(create_app(settings, start_runtime=False), consumers, "http://two") as two,
    ):
        yield one, two


def sweep(client: httpx.AsyncClient, how: Sweep) -> int:
    return getattr(client.store, how.job)()  # type: ignore[attr-defined]


def noted(client: httpx.AsyncClient, how: Sweep) -> list[str]:
    """The items published as noted, by placement or case, in store order."""
    return [getattr(data, how.about) for data in published(client, how.published)]


async def counted(clients: tuple[httpx.AsyncClient, ...], how: Sweep) -> float:
    """The notes counted, summed over the replicas' counters."""
    total = 0.0
    for client in clients:
        metrics = (await client.get("/metrics")).text
        total += sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith(f"{how.counter} ")
        )
    return total


def ids(how: Sweep, *cases: str) -> list[str]:
    return [placement_id(c) if how.about == "placement_id" else c for c in cases]


@pytest.mark.parametrize("kind", list(SWEEPS))
async def test_a_sweep_whose_save_loses_to_a_staff_command_still_notes_the_other_items_in_the_same_run(
    two_replicas, kind: str
) -> None:
    one, two = two_replicas
    how = SWEEPS[kind]
    await both_on_the_overdue_day(one, two, how)
    raced = storing_after(one.store, lambda: how.staff(two))  # type: ignore[attr-defined]
    assert sweep(one, how) == 2  # C-1's note conflicted with the staff command; the others stored
    assert [answer.status_code for answer in raced] == [200]
    assert noted(one, how) == ids(how, "C-2", "C-3")
    if how.counter is not None:
        assert await counted((one, two), how) == 2


@pytest.mark.parametrize("kind", [k for k in SWEEPS if k != "home-return follow-ups"])
async def test_the_item_a_sweep_lost_a_race_on_is_noted_on_the_next_run_once(two_replicas, kind: str) -> None:
    one, two = two_replicas
    how = SWEEPS[kind]
    await both_on_the_overdue_day(one, two, how)
    storing_after(one.store, lambda: how.staff(two))  # type: ignore[attr-defined]
    assert [sweep(one, how), sweep(one, how), sweep(two, how)] == [2, 1, 0]
    assert noted(one, how) == ids(how, "C-2", "C-3", "C-1")
    if how.counter is not None:
        assert await counted((one, two), how) == 3


async def test_a_home_return_follow_up_completed_by_staff_while_a_sweep_noted_it_is_not_noted_on_the_next_run(
    two_replicas,
) -> None:
    one, two = two_replicas
    how = SWEEPS["home-return follow-ups"]
    await both_on_the_overdue_day(one, two, how)
    storing_after(one.store, lambda: how.staff(two))  # type: ignore[attr-defined]
    assert [sweep(one, how), sweep(one, how)] == [2, 0]  # C-1 re-read: completed, nothing to note
    assert noted(one, how) == ids(how, "C-2", "C-3")
    assert await counted((one, two), how) == 2


@pytest.mark.parametrize("kind", list(SWEEPS))
async def test_two_replicas_sweeping_at_once_note_publish_and_count_each_item_once(
    two_replicas, kind: str
) -> None:
    one, two = two_replicas
    how = SWEEPS[kind]
    await both_on_the_overdue_day(one, two, how)

    async def the_other_replicas_sweep() -> int:
        return sweep(two, how)

    raced = storing_after(one.store, the_other_replicas_sweep)  # type: ignore[attr-defined]
    assert sweep(one, how) == 0  # lost C-1 to the other replica, and found C-2 and C-3 noted by it
    assert raced == [3]
    assert sorted(noted(one, how)) == ids(how, *CASES)
    if how.counter is not None:
        assert await counted((one, two), how) == 3
