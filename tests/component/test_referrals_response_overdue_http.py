"""A referral's response not given by its due day is noted once for the case timeline, as
``se.natverk.referral.response_overdue.v1`` (ADR 0025 addendum "a referral answered late"): also
when the team answered after its due day before any sweep saw it overdue (the service down the day
after, or an answer just after midnight before the day's first sweep), never twice (the sweep run
again, on two replicas at once, after a restart, or for a referral the sweep noted on the referral
itself before), and without the sweep writing to the referral staff are answering.  Over HTTP with
a JWT; what is published read through the service's own publication table, as the relay does."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import REFERRALS
from services.kit.domain.working_days import add_working_days
from services.kit.worklist import local_today
from services.referrals.app import create_app
from services.referrals.domain.referral import Referral
from tests.component.conftest import in_process
from tests.component.test_referrals_http import COORDINATOR, create
from tests.component.test_referrals_missed_deadlines_http import two_replicas
from tests.conftest import make_settings
from tests.support.clock import EventClock, stamping_events_at
from tests.support.races import saving_after
from tests.support.worklists import published

__all__ = ["two_replicas"]  # the fixture, two replicas of the service on one store

RESPONSE_OVERDUE = "se.natverk.referral.response_overdue.v1"
ANSWERS = {
    "accepted": ("accept", None),
    "declined": ("decline", {"reason": "another intervention fits better"}),
    "revoked": ("revoke", None),
}


def store(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def sweep_on(client: httpx.AsyncClient, day: date) -> int:
    store(client).today = lambda: day
    return store(client).check_response_deadlines()


def due_in(working_days: int = 3) -> date:
    return add_working_days(local_today(), working_days)


def the_day_after_its_due_day(clock: EventClock) -> None:
    """What is stored from now on is stamped on the day after the response was due: the service
    was down meanwhile (or it is just after midnight), and no sweep ran while it was overdue."""
    clock.now += timedelta(days=(due_in() - local_today()).days + 1)


async def referred(client: httpx.AsyncClient) -> tuple[str, str]:
    """(case id, referral id) of a referral about a placed child sent to the Network Centre today."""
    case_id = f"0380-{uuid.uuid4().hex[:6]}"
    made = await create(client, case_id=case_id, child_status="placed")
    assert made.status_code == 201, made.text
    return case_id, made.json()["id"]


async def answer(client: httpx.AsyncClient, referral_id: str, how: str = "accepted") -> httpx.Response:
    action, body = ANSWERS[how]
    answered = await client.post(f"/api/v1/referrals/{referral_id}/{action}", json=body, headers=COORDINATOR)
    assert answered.status_code == 200, answered.text
    return answered


@pytest.mark.parametrize("how", list(ANSWERS))
async def test_a_referral_answered_after_its_due_day_that_no_sweep_saw_is_still_published_once_as_overdue(
    referrals, monkeypatch, how: str
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    case_id, referral_id = await referred(referrals)
    the_day_after_its_due_day(clock)
    await answer(referrals, referral_id, how)
    later = due_in() + timedelta(days=2)
    assert [sweep_on(referrals, later), sweep_on(referrals, later + timedelta(days=9))] == [1, 0]
    [late] = published(referrals, RESPONSE_OVERDUE)
    assert late.model_dump(mode="json") == {
        "referral_id": referral_id,
        "case_id": case_id,
        "municipality": "0380",
        "target": "network_centre",
        "due": due_in().isoformat(),
        "responsible_role": "network_centre",
    }


async def test_a_referral_answered_on_its_due_day_is_never_published_as_overdue(
    referrals, monkeypatch
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    _, referral_id = await referred(referrals)
    clock.now += timedelta(days=(due_in() - local_today()).days)
    await answer(referrals, referral_id)
    assert sweep_on(referrals, due_in() + timedelta(days=30)) == 0
    assert published(referrals, RESPONSE_OVERDUE) == []


async def test_a_late_answers_note_leaves_as_the_same_public_event_on_the_referrals_topic(
    referrals, monkeypatch
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    case_id, referral_id = await referred(referrals)
    the_day_after_its_due_day(clock)
    await answer(referrals, referral_id)
    assert sweep_on(referrals, due_in() + timedelta(days=2)) == 1
    app, runtime = store(referrals), referrals.app.state.runtime
    [(topic, envelope)] = [
        pair
        for n in app.recorder.select_notifications(1, 10_000)
        for pair in runtime.publication.cloud_events(app.mapper.to_domain_event(n), n.id)
        if pair[1].type == RESPONSE_OVERDUE
    ]
    assert (topic, envelope.subject, envelope.source) == (REFERRALS, case_id, "/natverk/referrals")
    assert set(envelope.data) == {
        "referral_id",
        "case_id",
        "municipality",
        "target",
        "due",
        "responsible_role",
    }


async def test_a_response_noted_overdue_while_awaited_and_answered_later_is_not_published_again(
    referrals, monkeypatch
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    _, referral_id = await referred(referrals)
    assert sweep_on(referrals, due_in() + timedelta(days=1)) == 1
    the_day_after_its_due_day(clock)
    clock.now += timedelta(days=1)
    await answer(referrals, referral_id, "declined")
    assert sweep_on(referrals, due_in() + timedelta(days=3)) == 0
    assert len(published(referrals, RESPONSE_OVERDUE)) == 1


# -- the sweep and staff on the same referral -----------------------------------------------------


async def test_the_sweep_noting_a_response_overdue_leaves_the_referral_as_staff_last_read_it(
    referrals,
) -> None:
    _, referral_id = await referred(referrals)
    before = (await referrals.get(f"/api/v1/referrals/{referral_id}", headers=COORDINATOR)).json()
    assert sweep_on(referrals, due_in() + timedelta(days=1)) == 1
    after = (await referrals.get(f"/api/v1/referrals/{referral_id}", headers=COORDINATOR)).json()
    assert (after["version"], after["modified_on"]) == (before["version"], before["modified_on"])
    assert len(published(referrals, RESPONSE_OVERDUE)) == 1


async def test_a_team_answering_while_the_sweep_notes_the_response_overdue_is_stored_at_its_first_attempt(
    referrals,
) -> None:
    _, referral_id = await referred(referrals)
    app = store(referrals)
    app.today = lambda: due_in() + timedelta(days=1)
    saving, attempts, noted = app.save, [], []

    def sweep() -> None:
        noted.append(app.check_response_deadlines())

    def the_sweep_first(*aggregates: Any, **kwargs: Any) -> Any:
        """The team has read the referral and accepted it: the sweep, on its own thread as the
        runtime runs it, notes the response overdue before the team's save."""
        if threading.current_thread().name != "sweep" and any(isinstance(a, Referral) for a in aggregates):
            attempts.append(aggregates)
            if len(attempts) == 1:
                sweeping = threading.Thread(target=sweep, name="sweep")
                sweeping.start()
                sweeping.join()
        return saving(*aggregates, **kwargs)

    app.save = the_sweep_first
    await answer(referrals, referral_id)
    stored = (await referrals.get(f"/api/v1/referrals/{referral_id}", headers=COORDINATOR)).json()
    assert (stored["status"], stored["version"], len(attempts)) == ("accepted", 2, 1)  # never run again
    assert noted == [1] and app.check_response_deadlines() == 0
    assert len(published(referrals, RESPONSE_OVERDUE)) == 1


# -- once, across replicas and restarts ----------------------------------------------------------


async def test_two_replicas_sweeping_at_once_publish_a_late_answer_once(two_replicas, monkeypatch) -> None:
    one, two = two_replicas
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    _, referral_id = await referred(one)
    the_day_after_its_due_day(clock)
    await answer(one, referral_id)
    first, second = store(one), store(two)
    second.today = lambda: due_in() + timedelta(days=2)
    # ``one`` has decided to note it: ``two`` sweeps before ``one`` stores its note.
    rival = saving_after(first, second.check_response_deadlines)
    assert sweep_on(one, due_in() + timedelta(days=2)) == 0  # its note conflicted, harmlessly
    assert rival == [1]
    assert len(published(one, RESPONSE_OVERDUE)) == 1


async def test_a_restarted_service_does_not_publish_a_late_answer_again(tmp_path: Path, monkeypatch) -> None:
    settings = make_settings(tmp_path)
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    async with in_process(create_app(settings, start_runtime=False), "http://before") as before:
        _, referral_id = await referred(before)
        the_day_after_its_due_day(clock)
        await answer(before, referral_id)
        assert sweep_on(before, due_in() + timedelta(days=2)) == 1
    async with in_process(create_app(settings, start_runtime=False), "http://after") as after:
        assert sweep_on(after, due_in() + timedelta(days=3)) == 0
        assert len(published(after, RESPONSE_OVERDUE)) == 1


async def test_a_response_noted_overdue_is_not_published_again_when_the_working_days_allowed_change(
    tmp_path: Path,
) -> None:
    async with in_process(create_app(make_settings(tmp_path), start_runtime=False), "http://three") as three:
        await referred(three)
        assert sweep_on(three, due_in(3) + timedelta(days=1)) == 1
    five_days = make_settings(tmp_path, referral_response_working_days=5)
    async with in_process(create_app(five_days, start_runtime=False), "http://five") as five:
        assert sweep_on(five, due_in(5) + timedelta(days=1)) == 0
        assert [e.due for e in published(five, RESPONSE_OVERDUE)] == [due_in(3)]


# -- a response the sweep noted on the referral itself (before 2026-12-05) ------------------------


def noted_on_the_referral(client: httpx.AsyncClient, referral_id: str) -> None:
    """``Referral.ResponseOverdue`` stored on the referral, as the sweep stored its notes before
    they became ``MissedDeadline`` notes (the same stored event: the referral's own)."""
    app = store(client)
    referral: Referral = app.repository.get(uuid.UUID(referral_id))
    referral.trigger_event(Referral.ResponseOverdue, due=due_in())
    app.save(referral)


@pytest.mark.parametrize("answered_late", [False, True], ids=["still awaited", "answered late"])
async def test_a_referral_noted_overdue_on_the_referral_itself_is_not_published_again(
    referrals, monkeypatch, answered_late: bool
) -> None:
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    case_id, referral_id = await referred(referrals)
    the_day_after_its_due_day(clock)
    noted_on_the_referral(referrals, referral_id)
    if answered_late:
        clock.now += timedelta(days=1)
        await answer(referrals, referral_id)
    assert sweep_on(referrals, due_in() + timedelta(days=3)) == 0
    [old] = published(referrals, RESPONSE_OVERDUE)  # still published as it was
    assert (old.referral_id, old.case_id, old.due, old.responsible_role) == (
        referral_id,
        case_id,
        due_in(),
        "network_centre",
    )


@pytest.mark.parametrize(("at_receipt", "later"), [(5, 3), (3, 5)], ids=["lowered", "raised"])
async def test_a_response_is_judged_by_the_working_days_allowed_when_the_referral_arrived(
    tmp_path: Path, monkeypatch, at_receipt: int, later: int
) -> None:
    """Answered the day after a 3-working-day due day: in time under 5, late under 3.  A setting
    changed since the referral arrived neither makes an answer in time missed nor forgives a late
    one that no sweep saw before the change."""
    clock = stamping_events_at(monkeypatch, datetime.now(UTC))
    before = make_settings(tmp_path, referral_response_working_days=at_receipt)
    async with in_process(create_app(before, start_runtime=False), "http://before") as client:
        _, referral_id = await referred(client)
        clock.now += timedelta(days=(due_in(3) - local_today()).days + 1)
        await answer(client, referral_id)
    after = make_settings(tmp_path, referral_response_working_days=later)
    async with in_process(create_app(after, start_runtime=False), "http://after") as client:
        noted = sweep_on(client, due_in(5) + timedelta(days=30))
        assert noted == (1 if at_receipt == 3 else 0)
        assert len(published(client, RESPONSE_OVERDUE)) == noted
