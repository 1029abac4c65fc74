"""A network meeting held in scheduling is the safety plan's follow-up (DOMAIN.md: a safety plan is
"followed up through network meetings"): the next one falls due as after a follow-up recorded by
hand, from the day the meeting was held.  Only a network meeting of the case that was held counts
(booked, moved or of another kind: no), once, and only for the plan of the case in the same
municipality while it is not concluded.  Scheduling's records as its relay writes them, through
the kit's real tracking consumer; the plan and the worklist read over HTTP with a JWT."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from contracts.topics import SCHEDULING
from services.kit.attribution import Attribution
from services.network_support.app import create_app
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.inbound import consumers
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.tokens import bearer
from tests.support.worklists import published

TEAM = bearer("0380", ("safety_team",), subject="st-4")
PLAN = "/api/v1/cases/C-1/safety-plan"
DRAFTED = date(2026, 6, 1)  # the first follow-up fell due on 2026-11-30
TODAY = date(2026, 12, 3)


class Scheduling:
    """Scheduling's relay: each record at the next position of its notification log."""

    def __init__(self, feed: Any) -> None:
        self.feed, self.position = feed, 0

    async def say(self, event_type: str, data: dict[str, Any], epoch: int | None = None) -> None:
        self.position += 1
        await self.again(event_type, data, self.position, epoch)

    async def again(self, event_type: str, data: dict[str, Any], position: int, epoch: int | None) -> None:
        """A record at ``position``; in a later ``epoch``: republished after the broker lost records."""
        relay = {"source": "/natverk/scheduling", "sequence": str(position), "actor": "co-1"}
        if epoch is not None:
            relay["epoch"] = str(epoch)
        event_id = f"{data['meeting_id']}.{position}"
        await self.feed(encode(cloud_event(f"se.natverk.meeting.{event_type}.v1", data, event_id, **relay)))

    async def booked(self, meeting_id: str, day: str, kind: str = "network_meeting", **case: str) -> None:
        times = {"start": f"{day}T09:00:00", "end": f"{day}T10:30:00", "staff_ids": ["0380-st-4"]}
        await self.say("booked", meeting(meeting_id, kind, **case) | times)

    async def moved(self, meeting_id: str, day: str) -> None:
        times = {"start": f"{day}T13:00:00", "end": f"{day}T14:00:00"}
        await self.say("rescheduled", meeting(meeting_id, "network_meeting") | times)

    async def held(self, meeting_id: str, kind: str = "network_meeting", **case: str) -> None:
        await self.say("held", held(meeting_id, kind, **case))

    async def held_at(self, meeting_id: str, start: str) -> None:
        """As scheduling publishes it now: with when the meeting started (its end is not read here)."""
        await self.say("held", held(meeting_id) | {"start": start})


def meeting(meeting_id: str, kind: str, case_id: str = "C-1", municipality: str = "0380") -> dict[str, Any]:
    return {"meeting_id": meeting_id, "case_id": case_id, "municipality": municipality, "kind": kind}


def held(meeting_id: str, kind: str = "network_meeting", **case: str) -> dict[str, Any]:
    return meeting(meeting_id, kind, **case) | {"attended_staff": 2}


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service with case C-1's safety plan drafted on 2026-06-01, today 2026-12-03 (its
    follow-up overdue), and ``scheduling`` handing its scheduling consumer relayed records."""
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    store.today = lambda: DRAFTED
    [spec] = [spec for spec in consumers(store) if spec.topic == SCHEDULING]
    consumer, broker = in_process_consumer(store, spec, "meeting-news")
    async with in_process(app, "http://network-support") as client:
        drafted = await client.post(PLAN, headers=TEAM)
        assert drafted.status_code == 201, drafted.text
        store.today = lambda: TODAY
        client.scheduling = Scheduling(fed_by_hand(consumer, SCHEDULING))  # type: ignore[attr-defined]
        client.dead_letters = broker.published  # type: ignore[attr-defined]
        yield client


async def follow_up_due(client: httpx.AsyncClient) -> tuple[str, str]:
    """When the plan says its follow-up is due, and when the worklist says it."""
    plan = await client.get(PLAN, headers=TEAM)
    assert plan.status_code == 200, plan.text
    duties = await client.get("/api/v1/worklist", headers=TEAM)
    assert duties.status_code == 200, duties.text
    [due] = [i["due"] for i in duties.json()["items"] if i["obligation"] == "safety_plan_follow_up"]
    return plan.json()["follow_up_due"], due


def followed_up(client: httpx.AsyncClient) -> list[SafetyPlan.FollowedUp]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    stored = (store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 1000))
    return [e for e in stored if isinstance(e, SafetyPlan.FollowedUp)]


async def test_a_network_meeting_held_for_the_case_is_its_safety_plans_follow_up_on_the_day_it_was_held(
    network_support,
) -> None:
    assert await follow_up_due(network_support) == ("2026-11-30", "2026-11-30")  # overdue
    await network_support.scheduling.booked("M-1", "2026-11-24")
    await network_support.scheduling.moved("M-1", "2026-12-01")
    await network_support.scheduling.held("M-1")
    assert await follow_up_due(network_support) == ("2027-06-01", "2027-06-01")  # 182 days on
    [changed] = [
        e for e in published(network_support, "se.natverk.safety_plan.changed.v1") if e.change != "drafted"
    ]
    assert (changed.change, str(changed.follow_up_due)) == ("followed_up", "2027-06-01")


async def test_a_follow_up_at_a_held_meeting_is_attributed_to_schedulings_record(network_support) -> None:
    await network_support.scheduling.booked("M-1", "2026-12-01")
    await network_support.scheduling.held("M-1")
    [event] = followed_up(network_support)
    assert Attribution.of(event, "unknown") == Attribution(
        "system:network_support", "se.natverk.meeting.held.v1 from scheduling"
    )


async def test_a_held_meeting_republished_by_schedulings_relay_is_one_follow_up(network_support) -> None:
    await network_support.scheduling.booked("M-1", "2026-12-01")
    await network_support.scheduling.held("M-1")
    held_at = network_support.scheduling.position
    await network_support.scheduling.again("held", held("M-1"), held_at, epoch=1)
    assert len(followed_up(network_support)) == 1
    assert await follow_up_due(network_support) == ("2027-06-01", "2027-06-01")


@pytest.mark.parametrize("kind", ["visitation", "home_return_council", "staff_meeting"])
async def test_a_held_meeting_of_another_kind_is_no_safety_plan_follow_up(network_support, kind: str) -> None:
    await network_support.scheduling.booked("M-1", "2026-12-01", kind=kind)
    await network_support.scheduling.held("M-1", kind=kind)
    assert followed_up(network_support) == []
    assert await follow_up_due(network_support) == ("2026-11-30", "2026-11-30")


async def test_a_network_meeting_booked_but_not_yet_held_is_no_follow_up(network_support) -> None:
    await network_support.scheduling.booked("M-1", "2026-12-01")
    await network_support.scheduling.moved("M-1", "2026-12-02")
    assert followed_up(network_support) == []
    assert await follow_up_due(network_support) == ("2026-11-30", "2026-11-30")


async def test_a_held_meeting_whose_booking_never_arrived_and_whose_record_has_no_start_is_no_follow_up(
    network_support,
) -> None:
    """A held record published before it said the times: a guessed day could put the next follow-up
    too late."""
    await network_support.scheduling.held("M-unheard")
    assert followed_up(network_support) == []
    assert await follow_up_due(network_support) == ("2026-11-30", "2026-11-30")


@pytest.mark.parametrize(
    ("start", "held_on", "next_due"),
    [
        ("2026-12-01T18:00:00", "2026-12-01", "2027-06-01"),
        ("2026-12-01T23:30:00+00:00", "2026-12-02", "2027-06-02"),
    ],
    ids=["swedish wall-clock", "after midnight in Sweden"],
)
async def test_a_held_meeting_whose_booking_never_arrived_follows_up_the_plan_on_the_swedish_day_it_started(
    network_support, start: str, held_on: str, next_due: str
) -> None:
    await network_support.scheduling.held_at("M-unheard", start)
    [event] = followed_up(network_support)
    assert (event.meeting_id, str(event.on)) == ("M-unheard", held_on)
    assert await follow_up_due(network_support) == (next_due, next_due)


async def test_a_held_meetings_own_start_is_its_day_when_the_move_network_support_kept_was_not_the_last(
    network_support,
) -> None:
    """The move to 1 December never arrived (dead-lettered, say): the held record is the newer word."""
    await network_support.scheduling.booked("M-1", "2026-11-24")
    await network_support.scheduling.held_at("M-1", "2026-12-01T13:00:00")
    assert await follow_up_due(network_support) == ("2027-06-01", "2027-06-01")


async def test_a_network_meeting_held_in_another_municipality_does_not_follow_up_the_plan_here(
    network_support,
) -> None:
    await network_support.scheduling.booked("M-9", "2026-12-01", municipality="1980")
    await network_support.scheduling.held("M-9", municipality="1980")
    assert followed_up(network_support) == []
    assert await follow_up_due(network_support) == ("2026-11-30", "2026-11-30")


async def test_a_network_meeting_held_after_the_plan_was_concluded_changes_nothing_and_is_consumed(
    network_support,
) -> None:
    ended = {"reason": "safety_goals_met", "on": "2026-11-28"}
    assert (await network_support.post(f"{PLAN}/conclude", headers=TEAM, json=ended)).status_code == 200
    await network_support.scheduling.booked("M-1", "2026-12-01")
    await network_support.scheduling.held("M-1")
    await network_support.scheduling.booked("M-2", "2026-12-02")  # the consumer went on
    plan = (await network_support.get(PLAN, headers=TEAM)).json()
    assert (plan["follow_up_due"], plan["concluded"]["on"]) == (None, "2026-11-28")
    assert followed_up(network_support) == []


async def test_a_meeting_held_before_the_last_recorded_follow_up_does_not_bring_the_next_one_forward(
    network_support,
) -> None:
    """Recorded by hand on 2 December; the meeting of 1 December's attendance recorded after."""
    await network_support.scheduling.booked("M-1", "2026-12-01")
    by_hand = await network_support.post(f"{PLAN}/follow-ups", headers=TEAM, json={"on": "2026-12-02"})
    assert by_hand.status_code == 200, by_hand.text
    await network_support.scheduling.held("M-1")
    assert await follow_up_due(network_support) == ("2027-06-02", "2027-06-02")


async def test_a_network_meeting_held_before_the_plan_was_drafted_is_no_follow_up_and_is_consumed(
    network_support,
) -> None:
    """Its record arrives late (the plan was drafted on 1 June): the meeting was not about the plan,
    so it dates no fact of it; the record is neither retried nor dead-lettered, and the log line
    says so without the case, the meeting or the day."""
    await network_support.scheduling.booked("M-0", "2026-05-20")
    with capture_logs() as logged:
        await network_support.scheduling.held("M-0")
    await network_support.scheduling.booked("M-1", "2026-12-01")  # the consumer went on
    await network_support.scheduling.held("M-1")
    assert [(e.meeting_id, str(e.on)) for e in followed_up(network_support)] == [("M-1", "2026-12-01")]
    assert network_support.dead_letters == []
    [line] = [entry for entry in logged if "before its case's safety plan" in entry["event"]]
    assert not {"C-1", "M-0", "2026-05-20"} & {str(v) for v in line.values()} and "C-1" not in line["event"]


async def test_a_network_meeting_held_while_the_plan_was_concluded_is_no_follow_up_of_it_reopened(
    network_support,
) -> None:
    """Concluded on 28 November, reopened today (3 December): the meeting of 1 December fell between."""
    ended = {"reason": "safety_goals_met", "on": "2026-11-28"}
    assert (await network_support.post(f"{PLAN}/conclude", headers=TEAM, json=ended)).status_code == 200
    assert (await network_support.post(PLAN, headers=TEAM)).status_code == 201  # reopened today
    await network_support.scheduling.booked("M-1", "2026-12-01")
    await network_support.scheduling.held("M-1")
    assert followed_up(network_support) == []
    assert await follow_up_due(network_support) == ("2027-06-03", "2027-06-03")  # from the reopening
    assert network_support.dead_letters == []


async def held_tomorrow_in_sweden(scheduling: Scheduling) -> None:
    """Its own start: 23:30 UTC on 3 December is 00:30 on the 4th in Sweden."""
    await scheduling.held_at("M-0", "2026-12-03T23:30:00+00:00")


async def held_as_booked_next_week(scheduling: Scheduling) -> None:
    """A record with no start of its own: the booking kept here dates it."""
    await scheduling.booked("M-0", "2026-12-10")
    await scheduling.held("M-0")


@pytest.mark.parametrize("hold", [held_tomorrow_in_sweden, held_as_booked_next_week])
async def test_a_network_meeting_recorded_as_held_on_a_day_after_today_is_no_follow_up_and_is_consumed(
    network_support, hold: Any
) -> None:
    """Attendance recorded ahead of the meeting (today is 3 December): it dates no follow-up, which
    would silence the overdue one and hold the plan open past its day; the record is neither retried
    nor dead-lettered, and the log line says so without the case, the meeting or the day."""
    with capture_logs() as logged:
        await hold(network_support.scheduling)
    assert followed_up(network_support) == []
    assert await follow_up_due(network_support) == ("2026-11-30", "2026-11-30")  # still overdue
    await network_support.scheduling.booked("M-1", "2026-12-01")  # the consumer went on
    await network_support.scheduling.held("M-1")
    assert [(e.meeting_id, str(e.on)) for e in followed_up(network_support)] == [("M-1", "2026-12-01")]
    assert network_support.dead_letters == []
    [line] = [entry for entry in logged if "after today" in entry["event"]]
    said = {str(v) for v in line.values()}
    assert not {"C-1", "M-0", "2026-12-04", "2026-12-10"} & said and "C-1" not in line["event"]
