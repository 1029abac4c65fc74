"""Deadlines missed on referrals' worklist are noted once for the case timeline (ADR 0025 addendum
"deadlines missed on referrals' worklist", ADR 0036): a referral nobody was made responsible for,
a declined referral not followed up, safety planning not examined.  Each is published once, from
the day after its due day (exactly when the worklist calls it overdue), never when the duty was done
in time, never twice (the sweep run again, on two replicas at once, after a restart).  Over HTTP with
a JWT; what is published read through the service's own publication table."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import REFERRALS
from services.kit.domain.working_days import add_working_days
from services.kit.worklist import local_today
from services.referrals.app import create_app
from tests.component.conftest import in_process
from tests.component.test_referrals_case_worker_http import assign, place
from tests.component.test_referrals_http import COORDINATOR, PIN, create
from tests.conftest import make_settings
from tests.support.clock import EventClock, stamping_events_at
from tests.support.races import saving_after
from tests.support.tokens import bearer
from tests.support.worklists import published

CASE_WORKER_OVERDUE = "se.natverk.referral.case_worker_assignment_overdue.v1"
FOLLOW_UP_OVERDUE = "se.natverk.referral.declined_follow_up_overdue.v1"
EXAMINATION_OVERDUE = "se.natverk.referral.safety_planning_examination_overdue.v1"
SAFETY_TEAM = bearer("0380", ("safety_team",), subject="st-7")
REASON = "Mamman Anna vill inte, pappan har redan kontakt med BUP"  # free text: names people


def store(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def sweep_on(client: httpx.AsyncClient, day: date) -> int:
    store(client).today = lambda: day
    return store(client).check_missed_deadlines()


async def overdue_on_the_worklist(client: httpx.AsyncClient, obligation: str) -> list[bool]:
    response = await client.get("/api/v1/worklist", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    return [item["overdue"] for item in response.json()["items"] if item["obligation"] == obligation]


def new_case() -> str:
    return f"0380-{uuid.uuid4().hex[:6]}"


async def declined(client: httpx.AsyncClient) -> tuple[str, str]:
    """(case id, referral id) of a referral the team declined today, with a free-text reason."""
    case_id = new_case()
    referral_id = (await create(client, case_id=case_id, child_status="placed")).json()["id"]
    answer = await client.post(
        f"/api/v1/referrals/{referral_id}/decline", json={"reason": REASON}, headers=COORDINATOR
    )
    assert answer.status_code == 200, answer.text
    return case_id, referral_id


async def placement_near(client: httpx.AsyncClient, protected: bool = False) -> str:
    """The case of a referral to the Network Centre saying placement is near, sent today."""
    case_id = new_case()
    child = {"pin": PIN, "protected_identity": protected}
    made = await create(client, case_id=case_id, child=child, child_status="placement_near")
    assert made.status_code == 201, made.text
    return case_id


# -- a referral nobody is responsible for (due 7 days after it arrived) ------------------------------


async def test_an_unassigned_referral_is_published_once_as_missing_its_case_worker_from_the_day_after_its_due_day(
    referrals,
) -> None:
    case_id = new_case()
    referral_id = place(referrals, case_id)
    due = local_today() + timedelta(days=7)
    assert sweep_on(referrals, due) == 0
    assert await overdue_on_the_worklist(referrals, "case_worker_assignment") == [False]
    assert sweep_on(referrals, due + timedelta(days=1)) == 1
    assert await overdue_on_the_worklist(referrals, "case_worker_assignment") == [True]
    [overdue] = published(referrals, CASE_WORKER_OVERDUE)
    assert overdue.model_dump(mode="json") == {
        "referral_id": referral_id,
        "case_id": case_id,
        "municipality": "0380",
        "target": "network_centre",
        "due": due.isoformat(),
        "responsible_role": "case_worker",
    }


async def test_a_referral_given_a_case_worker_before_its_due_day_passed_is_never_published_as_missing_one(
    referrals,
) -> None:
    referral_id = place(referrals, new_case())
    assert (await assign(referrals, referral_id, "handlaggare-7")).status_code == 200
    assert sweep_on(referrals, local_today() + timedelta(days=30)) == 0
    assert published(referrals, CASE_WORKER_OVERDUE) == []


# -- a declined referral to follow up (due 5 working days after the decline) --------------------------


async def test_a_declined_referral_not_closed_is_published_once_as_not_followed_up_from_the_day_after_its_due_day(
    referrals,
) -> None:
    case_id, referral_id = await declined(referrals)
    due = add_working_days(local_today(), 5)
    assert sweep_on(referrals, due) == 0
    assert sweep_on(referrals, due + timedelta(days=1)) == 1
    assert await overdue_on_the_worklist(referrals, "declined_referral_follow_up") == [True]
    [overdue] = published(referrals, FOLLOW_UP_OVERDUE)
    assert (overdue.referral_id, overdue.case_id, overdue.due, overdue.responsible_role) == (
        referral_id,
        case_id,
        due,
        "case_worker",
    )
    assert "Anna" not in overdue.model_dump_json() and "Anna" not in overdue.summary()


async def test_a_declined_referral_closed_before_its_due_day_passed_is_never_published_as_not_followed_up(
    referrals,
) -> None:
    _, referral_id = await declined(referrals)
    closed = await referrals.post(f"/api/v1/referrals/{referral_id}/close", headers=COORDINATOR)
    assert closed.status_code == 200, closed.text
    assert sweep_on(referrals, local_today() + timedelta(days=30)) == 0
    assert published(referrals, FOLLOW_UP_OVERDUE) == []


# -- safety planning to examine (due 7 days after the referral saying placement is near) ------------


async def test_safety_planning_not_examined_is_published_once_as_overdue_from_the_day_after_its_due_day(
    referrals,
) -> None:
    case_id = await placement_near(referrals)
    due = local_today() + timedelta(days=7)
    assert sweep_on(referrals, due) == 0
    assert sweep_on(referrals, due + timedelta(days=1)) == 1
    assert await overdue_on_the_worklist(referrals, "safety_planning_examination") == [True]
    [overdue] = published(referrals, EXAMINATION_OVERDUE)
    assert overdue.model_dump(mode="json") == {
        "case_id": case_id,
        "municipality": "0380",
        "due": due.isoformat(),
        "responsible_role": "safety_team",
    }


async def examine_safety_planning(referrals: httpx.AsyncClient, case_id: str, how: str) -> httpx.Response:
    """The case's safety planning examined ``how``: its outcome recorded, or a referral to the safety team."""
    if how == "outcome recorded":
        return await referrals.post(
            f"/api/v1/cases/{case_id}/safety-planning-examination",
            json={"outcome": "not_suitable"},
            headers=SAFETY_TEAM,
        )
    return await create(referrals, case_id=case_id, target="safety_team", child_status="placement_near")


@pytest.mark.parametrize("how", ["outcome recorded", "referred to the safety team"])
async def test_safety_planning_examined_before_its_due_day_passed_is_never_published_as_overdue(
    referrals, how: str
) -> None:
    case_id = await placement_near(referrals)
    examined = await examine_safety_planning(referrals, case_id, how)
    assert examined.status_code in (200, 201), examined.text
    assert sweep_on(referrals, local_today() + timedelta(days=30)) == 0
    assert published(referrals, EXAMINATION_OVERDUE) == []


# -- done, but after its due day, before any sweep saw it overdue -----------------------------------


def days_later(clock: EventClock, days: int) -> None:
    """What is stored from now on is stamped ``days`` later: the service was down meanwhile, and no
    sweep ran while the duty was overdue."""
    clock.now += timedelta(days=days)


@pytest.mark.parametrize(("days", "missed"), [(7, 0), (8, 1)], ids=["on its due day", "the day after"])
async def test_a_case_worker_assigned_after_the_due_day_that_no_sweep_saw_is_still_published_once_as_missed(
    referrals, monkeypatch, days: int, missed: int
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    case_id = new_case()
    referral_id = place(referrals, case_id)
    due = local_today() + timedelta(days=7)
    days_later(clock, days)
    assert (await assign(referrals, referral_id, "handlaggare-7")).status_code == 200
    after = due + timedelta(days=days)
    assert [sweep_on(referrals, after), sweep_on(referrals, after + timedelta(days=1))] == [missed, 0]
    published_late = published(referrals, CASE_WORKER_OVERDUE)
    assert [(e.referral_id, e.case_id, e.due) for e in published_late] == [
        (referral_id, case_id, due)
    ] * missed


async def test_a_declined_referral_closed_after_its_follow_up_was_due_that_no_sweep_saw_is_still_published_once(
    referrals, monkeypatch
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    case_id, referral_id = await declined(referrals)
    due = add_working_days(local_today(), 5)
    days_later(clock, (due - local_today()).days + 1)
    closed = await referrals.post(f"/api/v1/referrals/{referral_id}/close", headers=COORDINATOR)
    assert closed.status_code == 200, closed.text
    assert [sweep_on(referrals, due + timedelta(days=9)), sweep_on(referrals, due + timedelta(days=10))] == [
        1,
        0,
    ]
    [late] = published(referrals, FOLLOW_UP_OVERDUE)
    assert (late.referral_id, late.case_id, late.due) == (referral_id, case_id, due)


@pytest.mark.parametrize("how", ["outcome recorded", "referred to the safety team"])
async def test_safety_planning_examined_after_its_due_day_that_no_sweep_saw_is_still_published_once_as_overdue(
    referrals, monkeypatch, how: str
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    case_id = await placement_near(referrals)
    due = local_today() + timedelta(days=7)
    days_later(clock, 8)
    examined = await examine_safety_planning(referrals, case_id, how)
    assert examined.status_code in (200, 201), examined.text
    assert [sweep_on(referrals, due + timedelta(days=9)), sweep_on(referrals, due + timedelta(days=10))] == [
        1,
        0,
    ]
    [late] = published(referrals, EXAMINATION_OVERDUE)
    assert (late.case_id, late.due, late.responsible_role) == (case_id, due, "safety_team")


async def test_a_duty_noted_missed_while_overdue_and_done_later_is_not_published_again(
    referrals, monkeypatch
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    referral_id = place(referrals, new_case())
    due = local_today() + timedelta(days=7)
    assert sweep_on(referrals, due + timedelta(days=1)) == 1
    days_later(clock, 9)
    assert (await assign(referrals, referral_id, "handlaggare-7")).status_code == 200
    assert sweep_on(referrals, due + timedelta(days=2)) == 0
    assert len(published(referrals, CASE_WORKER_OVERDUE)) == 1


async def test_a_restarted_service_does_not_publish_a_duty_done_late_again(
    tmp_path: Path, monkeypatch
) -> None:
    settings = make_settings(tmp_path)
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    async with in_process(create_app(settings, start_runtime=False), "http://before") as before:
        referral_id = place(before, new_case())
        days_later(clock, 9)
        assert (await assign(before, referral_id, "handlaggare-7")).status_code == 200
        assert sweep_on(before, local_today() + timedelta(days=9)) == 1
    async with in_process(create_app(settings, start_runtime=False), "http://after") as after:
        assert sweep_on(after, local_today() + timedelta(days=10)) == 0
        assert len(published(after, CASE_WORKER_OVERDUE)) == 1


# -- once ---------------------------------------------------------------------------------------


async def everything_overdue(client: httpx.AsyncClient) -> date:
    """One duty of each kind, and a day on which all three are overdue."""
    place(client, new_case())
    await declined(client)
    await placement_near(client)
    return local_today() + timedelta(days=30)


def published_missed(client: httpx.AsyncClient) -> list[Any]:
    return [
        e for t in (CASE_WORKER_OVERDUE, FOLLOW_UP_OVERDUE, EXAMINATION_OVERDUE) for e in published(client, t)
    ]


async def test_a_missed_deadline_swept_again_is_not_published_again(referrals) -> None:
    day = await everything_overdue(referrals)
    assert [
        sweep_on(referrals, day),
        sweep_on(referrals, day),
        sweep_on(referrals, day + timedelta(days=9)),
    ] == [
        3,
        0,
        0,
    ]
    assert len(published_missed(referrals)) == 3


@pytest.fixture
async def two_replicas(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Two replicas of the service on one store."""
    async with (
        in_process(create_app(make_settings(tmp_path), start_runtime=False), "http://one") as one,
        in_process(create_app(make_settings(tmp_path), start_runtime=False), "http://two") as two,
    ):
        yield one, two


async def test_two_replicas_sweeping_at_once_publish_each_missed_deadline_once(two_replicas) -> None:
    one, two = two_replicas
    day = await everything_overdue(one)
    first, second = store(one), store(two)
    second.today = lambda: day
    # ``one`` has decided to note a duty: ``two`` sweeps everything before ``one`` stores it.
    rival = saving_after(first, second.check_missed_deadlines)
    assert sweep_on(one, day) == 0  # each of its notes conflicted with the other's, harmlessly
    assert rival == [3]
    assert len(published_missed(one)) == 3


async def test_a_restarted_service_does_not_publish_a_missed_deadline_again(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    async with in_process(create_app(settings, start_runtime=False), "http://before") as before:
        day = await everything_overdue(before)
        assert sweep_on(before, day) == 3
    async with in_process(create_app(settings, start_runtime=False), "http://after") as after:
        assert sweep_on(after, day + timedelta(days=1)) == 0
        assert len(published_missed(after)) == 3


# -- what leaves ----------------------------------------------------------------------------------


async def test_a_protected_childs_missed_deadline_goes_only_to_the_referrals_topic_naming_no_one(
    referrals,
) -> None:
    await placement_near(referrals, protected=True)
    assert sweep_on(referrals, local_today() + timedelta(days=8)) == 1
    app, runtime = store(referrals), referrals.app.state.runtime
    [(topic, envelope)] = [
        pair
        for n in app.recorder.select_notifications(1, 10_000)
        for pair in runtime.publication.cloud_events(app.mapper.to_domain_event(n), n.id)
        if pair[1].type == EXAMINATION_OVERDUE
    ]
    assert topic == REFERRALS
    assert set(envelope.data) == {"case_id", "municipality", "due", "responsible_role"}
    assert PIN not in envelope.model_dump_json()


async def test_the_service_runs_the_missed_deadline_sweep_as_a_periodic_job(referrals) -> None:
    runtime = referrals.app.state.runtime  # no public view of the schedule: its wiring, as built
    assert "check_missed_deadlines" in [job.__name__ for _, job in runtime._periodic]
