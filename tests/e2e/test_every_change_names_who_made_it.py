"""Every change to a case names who made it, across all five services (the stack as processes).

One Uppsala case: the case system reports a placement (referrals refers the child to the
Network Centre, scheduling convenes the staff meeting, network_support opens the placement's
clocks, collaboration sees the home fill up); then five people, each with their own JWT ``sub``,
act in each service, and an auditor reads the timeline.  Every timeline entry's ``actor`` must
be exactly who caused it: the human's ``sub`` for a command, ``system:<service>`` for what a
service does on another service's event, and the case system's CloudEvent ``source`` for the
placement and for what services do on it (ADR 0014: what a record from outside causes is
attributed to its validated ``source``; ADR 0017: without a safe ``actor`` of its own, the
timeline names the source).  Never a placeholder such as ``system`` or ``external``.  Every
service's reads and writes of the case must reach the case store's access log under the human
who made them.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.kit.domain.working_days import next_working_day
from services.stack import Stack
from tests.support.apps import eventually
from tests.support.broker import produce
from tests.support.events import PLACEMENTS_SOURCE, encode, placement_started, valid_pin
from tests.support.tokens import bearer

pytestmark = pytest.mark.e2e

UPPSALA = "0380"
CASE_WORKER = "cw-anna"
COORDINATOR = "coord-bo"
NETWORK_CENTRE = "nc-cia"
CONSULTANT = "fhc-dan"
AUDITOR = "aud-eva"
CASE_SYSTEM = PLACEMENTS_SOURCE  # the placement's CloudEvent source
PLACEHOLDER_ACTORS = {"", "system", "external", "unknown"}

ROLE_OF = {
    CASE_WORKER: "case_worker",
    COORDINATOR: "coordinator",
    NETWORK_CENTRE: "network_centre",
    CONSULTANT: "family_home_consultant",
    AUDITOR: "auditor",
}


def headers_of(subject: str) -> dict[str, str]:
    """A fresh token for one of the scenario's people, with their one role in Uppsala."""
    return bearer(UPPSALA, (ROLE_OF[subject],), subject=subject)


@dataclass(frozen=True)
class Cause:
    """A kind of timeline entry (by source, type and summary) and who must be named as its actor."""

    what: str
    source: str
    event_type: str
    summary: str  # a regular expression the entry's summary starts with
    actor: str
    required: bool = True  # False: may or may not happen in this scenario (a deadline's timing)

    def matches(self, entry: dict[str, Any]) -> bool:
        return (
            entry["source"] == self.source
            and entry["event_type"] == self.event_type
            and re.match(self.summary, entry["summary"]) is not None
        )


CAUSES = (
    # case_store: the placement as the case system reported it
    Cause("the placement", CASE_SYSTEM, "se.placement.started.v1", "Placement started", CASE_SYSTEM),
    # referrals
    Cause(
        "the automatic referral to the Network Centre",
        "referrals",
        "se.natverk.referral.received.v1",
        r"Referral to network centre received \(placed, automatically at placement\)",
        CASE_SYSTEM,
    ),
    Cause(
        "the case worker's referral to the safety team",
        "referrals",
        "se.natverk.referral.received.v1",
        r"Referral to safety team received \(placed, from case worker\)",
        CASE_WORKER,
    ),
    Cause(
        "the coordinator's acceptance of the referral",
        "referrals",
        "se.natverk.referral.accepted.v1",
        "Referral to safety team accepted",
        COORDINATOR,
    ),
    # scheduling
    Cause(
        "the staff meeting scheduling convened",
        "scheduling",
        "se.natverk.meeting.booked.v1",
        "Staff meeting booked",
        "system:scheduling",
    ),
    Cause(
        "the staff meeting's missed deadline",
        "scheduling",
        "se.natverk.meeting.staff_meeting_deadline_missed.v1",
        "Staff meeting could not be held",
        "system:scheduling",
        required=False,
    ),
    Cause(
        "the coordinator's network meeting",
        "scheduling",
        "se.natverk.meeting.booked.v1",
        "Network meeting booked",
        COORDINATOR,
    ),
    # network_support: on the placement, on the accepted referral, and by hand
    Cause(
        "the placement's follow-up clocks",
        "network_support",
        "se.natverk.placement_follow_up.recorded.v1",
        "Placement follow-up: opened",
        CASE_SYSTEM,
    ),
    Cause(
        "the network-placement inquiry",
        "network_support",
        "se.natverk.network_placement_inquiry.changed.v1",
        "Network-placement inquiry opened",
        CASE_SYSTEM,
    ),
    Cause(
        "a follow-up deadline passing",
        "network_support",
        "se.natverk.placement_follow_up.deadline_passed.v1",
        "Deadline passed",
        "system:network_support",
        required=False,
    ),
    Cause(
        "the support plan opened on the acceptance",
        "network_support",
        "se.natverk.support_plan.changed.v1",
        "Support plan: opened",
        "system:network_support",
    ),
    Cause(
        "the safety plan drafted on the acceptance",
        "network_support",
        "se.natverk.safety_plan.changed.v1",
        r"Safety plan v\d+: drafted",
        "system:network_support",
    ),
    Cause(
        "the Network Centre's goal",
        "network_support",
        "se.natverk.support_plan.changed.v1",
        "Support plan: goal added",
        NETWORK_CENTRE,
    ),
    Cause(
        "the Network Centre's network member",
        "network_support",
        "se.natverk.network_map.changed.v1",
        r"Network map: member \d+ added",
        NETWORK_CENTRE,
    ),
    Cause(
        "the Network Centre's danger statement",
        "network_support",
        "se.natverk.safety_plan.changed.v1",
        r"Safety plan v\d+: danger statement added",
        NETWORK_CENTRE,
    ),
    Cause(
        "the danger statement's first scale",
        "network_support",
        "se.natverk.safety_plan.scale_recorded.v1",
        r"Safety scale for danger statement \d+",
        NETWORK_CENTRE,
    ),
    # collaboration
    Cause(
        "the family home the placement filled",
        "collaboration",
        "se.natverk.family_home.occupancy_changed.v1",
        "Family home occupied",
        CASE_SYSTEM,
    ),
    Cause(
        "the consultant's matching request",
        "collaboration",
        "se.natverk.matching_request.changed.v1",
        "Matching request to 1980: opened",
        CONSULTANT,
    ),
)

# Who each service's access records of the case must name: only the people who read or changed it there.
ACCESS_BY_SERVICE = {
    "referrals": {CASE_WORKER, COORDINATOR},
    "scheduling": {COORDINATOR},
    "network_support": {NETWORK_CENTRE},
    "collaboration": {CONSULTANT},
    "case_store": {AUDITOR},
}


REQUIRED = {cause.what for cause in CAUSES if cause.required}
EXPECTED_ACCESS = {(service, actor) for service, actors in ACCESS_BY_SERVICE.items() for actor in actors}


def cause_of(entry: dict[str, Any]) -> Cause | None:
    return next((cause for cause in CAUSES if cause.matches(entry)), None)


def causes_seen(entries: list[dict[str, Any]]) -> set[str]:
    return {cause.what for entry in entries if (cause := cause_of(entry)) is not None}


def access_pairs(records: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(record["service"], record["actor"]) for record in records}


def described(entry: dict[str, Any]) -> str:
    return f"{entry['source']} {entry['event_type']} ({entry['summary']!r})"


@dataclass(frozen=True)
class Scenario:
    case_id: str
    timeline: list[dict[str, Any]]
    access_log: list[dict[str, Any]]
    unanswered: tuple[str, ...] = ()  # the case store's last refusals or errors, if a wait ran out


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


async def settled(
    client: httpx.AsyncClient,
    url: str,
    pick: Callable[[Any], list[dict[str, Any]]],
    complete: Callable[[list[dict[str, Any]]], bool],
    unanswered: list[str],
) -> list[dict[str, Any]]:
    """What the auditor reads at ``url`` (every page of it) once it is ``complete``; else, after the
    wait, as it last was.

    The tests then say precisely what is missing or wrong, rather than that a wait timed out;
    if the last answer was not a 200, it goes into ``unanswered``.
    """
    last: list[dict[str, Any]] = []
    problem: str | None = None

    async def read() -> bool:
        nonlocal last, problem
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            response = await client.get(url, params=params, headers=headers_of(AUDITOR))
            if response.status_code != 200:
                problem = f"GET {url} answered {response.status_code}: {response.text[:300]}"
                return False
            items += pick(response.json())
            if (cursor := response.json()["next_cursor"]) is None:
                break
        last, problem = items, None
        return bool(last) and complete(last)

    with contextlib.suppress(AssertionError):
        await eventually(read, timeout=45, interval=0.5)
    if problem is not None:
        unanswered.append(problem)
    return last


async def run_scenario(stack: Stack) -> Scenario:
    tag = uuid.uuid4().hex[:6]
    case_id = f"{UPPSALA}-W-{tag}"
    register_id = f"FH-W-{tag}"
    today = date.today()
    referrals, scheduling = stack.url("referrals"), stack.url("scheduling")
    network_support, collaboration = stack.url("network_support"), stack.url("collaboration")
    case_store = stack.url("case_store")
    async with httpx.AsyncClient(timeout=10) as client:
        # A family-home consultant registers the home the case system will place the child in.
        ok(
            await client.post(
                f"{collaboration}/api/v1/family-homes",
                headers=headers_of(CONSULTANT),
                json={
                    "register_id": register_id,
                    "kind": "recruited",
                    "capacity": 2,
                    "age_min": 0,
                    "age_max": 17,
                    "specialisations": ["emergency"],
                    "languages": ["sv"],
                },
            )
        )
        placement = placement_started(
            case_id, f"P-{case_id}", family_home_id=register_id, start_date=today.isoformat()
        )
        await produce(stack.settings.kafka_bootstrap, PLACEMENTS, [encode(placement)], key=case_id.encode())

        # referrals: a case worker refers the family to the safety team, a coordinator accepts.
        referral = ok(
            await client.post(
                f"{referrals}/api/v1/referrals",
                headers=headers_of(CASE_WORKER),
                json={
                    "case_id": case_id,
                    "target": "safety_team",
                    "child": {"pin": valid_pin(7), "protected_identity": False},
                    "child_status": "placed",
                    "case_worker_id": CASE_WORKER,
                    "reason": "safety planning with the network",
                },
            )
        )
        ok(
            await client.post(
                f"{referrals}/api/v1/referrals/{referral['id']}/accept", headers=headers_of(COORDINATOR)
            )
        )

        # scheduling: the coordinator books a network meeting, beyond any convened staff meeting.
        day = next_working_day(today + timedelta(days=99))  # a weekend or holiday is outside working time
        ok(
            await client.post(
                f"{scheduling}/api/v1/meetings",
                headers=headers_of(COORDINATOR),
                json={
                    "case_id": case_id,
                    "kind": "network_meeting",
                    "start": datetime(day.year, day.month, day.day, 10).isoformat(),
                    "end": datetime(day.year, day.month, day.day, 11).isoformat(),
                    "staff_ids": [f"{UPPSALA}-coordinator-1"],
                    "other_participants": ["parent", "network"],
                },
            )
        )

        # network_support: once the accepted referral has opened the plans, the Network Centre works on them.
        async def plans_opened() -> bool:
            for plan in ("support-plan", "safety-plan"):
                response = await client.get(
                    f"{network_support}/api/v1/cases/{case_id}/{plan}", headers=headers_of(NETWORK_CENTRE)
                )
                if response.status_code != 200:
                    return False
            return True

        await eventually(plans_opened, timeout=20, interval=0.3)
        case_api = f"{network_support}/api/v1/cases/{case_id}"
        ok(
            await client.post(
                f"{case_api}/support-plan/goals",
                headers=headers_of(NETWORK_CENTRE),
                json={"goal": "the child feels safe at contact visits"},
            )
        )
        ok(
            await client.post(
                f"{case_api}/network-map/members",
                headers=headers_of(NETWORK_CENTRE),
                json={
                    "name": "Moster Karin",
                    "relation": "aunt",
                    "roles": ["safety_person"],
                    "contact_consent": True,
                },
            )
        )
        ok(
            await client.post(
                f"{case_api}/safety-plan/danger-statements",
                headers=headers_of(NETWORK_CENTRE),
                json={
                    "statement": "the child may be left alone when the parent drinks",
                    "safety_goal": "an adult in the network is always reachable",
                    "scale": 3,
                    "on": today.isoformat(),
                },
            )
        )

        # collaboration: the consultant asks Västerås for a home for the case.
        ok(
            await client.post(
                f"{collaboration}/api/v1/matching-requests",
                headers=headers_of(CONSULTANT),
                json={
                    "case_id": case_id,
                    "partners": ["1980"],
                    "age_band": "6-12",
                    "placement_type": "familjehem",
                    "needs": ["near_school"],
                    "from_date": (today + timedelta(days=14)).isoformat(),
                    "protected_identity": False,
                },
            )
        )

        # case_store: the auditor reads the timeline until every expected entry is on it.
        timeline_url = f"{case_store}/api/v1/cases/{case_id}/timeline"
        unanswered: list[str] = []
        timeline = await settled(
            client,
            timeline_url,
            lambda body: body["items"],
            lambda entries: causes_seen(entries) >= REQUIRED,
            unanswered,
        )
        access_url = f"{case_store}/api/v1/cases/{case_id}/access-log"
        access_log = await settled(
            client,
            access_url,
            lambda body: body["items"],
            lambda records: access_pairs(records) >= EXPECTED_ACCESS,
            unanswered,
        )
    return Scenario(case_id, timeline, access_log, tuple(unanswered))


@pytest.fixture(scope="module")
async def scenario(stack: Stack) -> Scenario:
    return await run_scenario(stack)


async def test_the_case_store_answers_the_auditor(scenario: Scenario) -> None:
    assert scenario.unanswered == ()


async def test_every_services_entries_reach_the_case_timeline(scenario: Scenario) -> None:
    missing = sorted(REQUIRED - causes_seen(scenario.timeline))
    assert missing == [], (
        f"not on the timeline: {missing}; it holds {[described(e) for e in scenario.timeline]}"
    )


async def test_every_timeline_entry_names_exactly_who_caused_it(scenario: Scenario) -> None:
    unexpected = [described(entry) for entry in scenario.timeline if cause_of(entry) is None]
    assert unexpected == [], f"entries no cause in this scenario explains: {unexpected}"
    misattributed = [
        f"{cause.what}: {described(entry)} names {entry['actor']!r}, not {cause.actor!r}"
        for entry in scenario.timeline
        if (cause := cause_of(entry)) is not None and entry["actor"] != cause.actor
    ]
    assert misattributed == []


async def test_each_human_is_named_on_the_entries_of_their_own_commands_only(scenario: Scenario) -> None:
    by_actor: dict[str, set[str]] = {}
    for entry in scenario.timeline:
        by_actor.setdefault(entry["actor"], set()).add(entry["source"])
    humans = {
        actor: sources
        for actor, sources in by_actor.items()
        if ":" not in actor and actor.strip() not in PLACEHOLDER_ACTORS
    }
    assert humans == {
        CASE_WORKER: {"referrals"},
        COORDINATOR: {"referrals", "scheduling"},
        NETWORK_CENTRE: {"network_support"},
        CONSULTANT: {"collaboration"},
    }


async def test_no_timeline_entry_names_a_placeholder_actor(scenario: Scenario) -> None:
    placeholders = [
        f"{described(entry)}: {entry['actor']!r}"
        for entry in scenario.timeline
        if entry["actor"].strip() in PLACEHOLDER_ACTORS
    ]
    assert placeholders == []


async def test_the_auditors_read_of_the_timeline_is_in_the_case_access_log(scenario: Scenario) -> None:
    reads = [
        r
        for r in scenario.access_log
        if r["service"] == "case_store" and r["resource"].endswith("/timeline") and r["outcome"] == "granted"
    ]
    assert reads, f"no granted timeline read in the access log: {scenario.access_log}"
    assert {(r["actor"], r["actor_municipality"]) for r in reads} == {(AUDITOR, UPPSALA)}


async def test_every_services_reads_and_writes_of_the_case_name_the_humans_who_made_them(
    scenario: Scenario,
) -> None:
    actors_by_service: dict[str, set[str]] = {}
    for record in scenario.access_log:
        actors_by_service.setdefault(record["service"], set()).add(record["actor"])
    assert actors_by_service == ACCESS_BY_SERVICE
    placeholders = [r for r in scenario.access_log if r["actor"].strip() in PLACEHOLDER_ACTORS]
    assert placeholders == []
