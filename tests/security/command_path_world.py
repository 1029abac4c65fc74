"""A small world per service, built through its own HTTP API, for the command-path properties.

Each service's app is built by its factory on a fresh SQLite data folder without its runtime
(no broker: commands are stored and wait for the relay).  The world owns a few objects of
municipality 0380; ``ids`` names them (by path-parameter name for the defaults, by role in
the world otherwise) and ``case_data`` holds every value that identifies one of its cases.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from services.case_store.domain.access_log import CaseAccessLog
from services.kit.domain.case_access import CaseAccess
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures, day_from_today, days_ahead
from tests.support.events import valid_pin
from tests.support.tokens import bearer

STAFF_ROLES = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
ALL_ROLES = (*STAFF_ROLES, "ops", "family_home_consultant", "registrar")
MUNICIPALITIES = OWNER, PARTNER, OUTSIDER = "0380", "1980", "2180"
COMMAND_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ACCESS_RECORDS = (CaseAccess.Recorded, CaseAccessLog.Started, CaseAccessLog.AccessRecorded)
ABSENT_UUID = "7d1c9a52-0b3e-4c55-9a51-3f0e2b6a4c11"
# An id of the right shape that names nothing, per path parameter (sub-ids of a case stay as they are).
ABSENT = {
    "case_id": "ABSENT-404",
    "placement_id": "P-ABSENT-404",
    "staff_id": "absent-staff-404",
    "booking_id": "absent-booking-404",
    "member_id": "99",
    "action_id": "99",
    "rule_id": "99",
    "scope": "network_placement",  # a scope names no object: the same one
    "notification_id": str(2**40),
}


def headers(municipality: str = OWNER, **extra: str) -> dict[str, str]:
    """A token with every role a route may need, of ``municipality``."""
    return {**bearer(municipality, ALL_ROLES, subject=f"tester-{municipality}"), **extra}


def absent(name: str) -> str:
    return ABSENT.get(name, ABSENT_UUID)


def build_app(service: str, data_dir: Path) -> FastAPI:
    factory = importlib.import_module(f"services.{service}.app").create_app
    return before_the_fixtures(factory(make_settings(data_dir), start_runtime=False))


@dataclass
class World:
    service: str
    app: FastAPI
    client: httpx.AsyncClient
    ids: dict[str, str] = field(default_factory=dict)
    case_data: set[str] = field(default_factory=set)

    @property
    def store(self) -> Any:
        return self.app.state.runtime.app

    def position(self) -> int:
        return self.store.recorder.max_notification_id() or 0

    def events_since(self, position: int) -> list[Any]:
        notifications = self.store.recorder.select_notifications(position + 1, 100_000)
        return [self.store.mapper.to_domain_event(n) for n in notifications]

    def effects_since(self, position: int) -> list[str]:
        """What was stored since ``position`` other than access records (their type names)."""
        return [
            type(e).__qualname__ for e in self.events_since(position) if not isinstance(e, ACCESS_RECORDS)
        ]

    def access_records_since(self, position: int) -> int:
        return sum(isinstance(e, ACCESS_RECORDS) for e in self.events_since(position))

    async def send(
        self, method: str, url: str, municipality: str = OWNER, body: Any = None, **extra: str
    ) -> httpx.Response:
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        return await self.client.request(method, url, headers=headers(municipality, **extra), **kwargs)

    async def made(self, method: str, url: str, body: Any = None, municipality: str = OWNER) -> Any:
        response = await self.send(method, url, municipality, body)
        assert response.is_success, f"building the world: {method} {url} -> {response.text}"
        return response.json()


@asynccontextmanager
async def open_world(service: str, data_dir: Path) -> AsyncIterator[World]:
    app = build_app(service, data_dir)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as client:
            world = World(service, app, client)
            await BUILDERS[service](world)
            world.ids.setdefault("notification_id", str(world.position()))  # stored, never parked
            yield world
    finally:
        app.state.runtime.app.close()


# -- the worlds -----------------------------------------------------------------------------
CHILD = valid_pin(7)  # the child of the referrals world's cases


def new_referral(case_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "target": "network_centre",
        "child": {"pin": CHILD, "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-12",
        "reason": "network strengthening",
        **overrides,
    }


async def _referrals(w: World) -> None:
    received = await w.made("POST", "/api/v1/referrals", new_referral("0380-W1"))
    accepted = await w.made("POST", "/api/v1/referrals", new_referral("0380-W2"))
    await w.made("POST", f"/api/v1/referrals/{accepted['id']}/accept")
    w.ids.update(referral_id=received["id"], accepted_referral=accepted["id"])
    w.case_data |= {"0380-W1", "0380-W2", received["id"], accepted["id"]}


THERAPIST, PEDAGOGUE = "0380-family-therapist-1", "0380-family-pedagogue-1"
SUPPORTER = "0380-parent-supporter-2"  # booked, then leaves the roster: their role is named


def new_meeting(case_id: str = "0380-W7", day: int = 24, **overrides: Any) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "kind": "network_meeting",
        "start": f"2026-11-{day:02d}T09:00:00",
        "end": f"2026-11-{day:02d}T10:00:00",
        "staff_ids": [THERAPIST],
        **overrides,
    }


async def _scheduling(w: World) -> None:
    [meeting] = await w.made("POST", "/api/v1/meetings", new_meeting())
    # Now is when the world's meeting has begun: its attendance can be recorded, and the other
    # calls still book and move meetings on later days.
    w.store.clock = lambda: datetime(2026, 11, 24, 9, 30)
    w.ids.update(meeting_id=meeting["meeting_id"], staff_id=THERAPIST, case_id="0380-W7")
    w.case_data |= {"0380-W7", meeting["meeting_id"]}
    # A meeting naming a role to fill: its parent supporter left the roster (ADR 0026, addenda).
    [named] = await w.made("POST", "/api/v1/meetings", new_meeting(day=27, staff_ids=[SUPPORTER]))
    assert (await w.send("DELETE", f"/api/v1/staff/{SUPPORTER}", OWNER, None)).status_code == 204
    w.ids["meeting_with_a_role_to_fill"] = named["meeting_id"]
    w.case_data.add(named["meeting_id"])
    # Personal calendar feeds: the feed's URL holds its token, the world's read of it (ADR 0023).
    staff_token = await w.made("POST", f"/api/v1/staff/{THERAPIST}/feed-tokens")
    case_token = await w.made("POST", "/api/v1/cases/0380-W7/feed-tokens")
    token = staff_token["url"].removeprefix("/api/v1/feeds/").removesuffix(".ics")
    w.ids.update(token=token, staff_token_id=staff_token["token_id"], case_token_id=case_token["token_id"])


MEMBER = {
    "name": "Kept Here",
    "relation": "aunt",
    "roles": ["possible_network_home"],
    "contact_consent": True,
}
NAMED = {"name": "Named Here", "relation": "uncle", "roles": ["support_person"], "contact_consent": True}
RULE = {"text": "Uncle picks up", "responsible_member_ids": [2]}
ACTION = {"description": "Map the network", "owner_role": "coordinator", "due": "2026-12-01"}
TODAY = date(2026, 12, 1)  # network_support's clock: no fact is dated after it


async def _network_support(w: World) -> None:
    # What other services' events bring (the inbound use cases): a safety-team referral, heard on
    # the day the child was placed (its safety plan's facts are dated from then on), a placement.
    w.store.today = lambda: date(2026, 11, 2)
    w.store.referral_accepted("R-W1", "C-W1", OWNER, "safety_team")
    w.store.today = lambda: TODAY
    w.store.placement_started(OWNER, "C-W1", "P-W1", "familjehem", date(2026, 11, 2), True)
    case = "/api/v1/cases/C-W1"
    await w.made("POST", f"{case}/network-map/members", MEMBER)  # 1: a candidate, named by no rule
    await w.made("POST", f"{case}/network-map/members", NAMED)  # 2: responsible in rule 1
    consent = {"scope": "network_placement", "on": "2026-11-03"}
    await w.made("POST", f"{case}/network-map/members/1/consents", consent)
    await w.made("POST", f"{case}/support-plan/actions", ACTION)
    statement = {"statement": "Danger", "safety_goal": "Safe", "scale": 3, "on": "2026-11-03"}
    await w.made("POST", f"{case}/safety-plan/danger-statements", statement)
    await w.made("POST", f"{case}/safety-plan/rules", RULE)
    await w.made("POST", f"{case}/home-return", {"phase": "preparation", "on": "2026-11-20"})
    await w.made("POST", "/api/v1/cases/C-W2/home-return", {"phase": "completed", "on": "2026-11-10"})
    w.ids.update(case_id="C-W1", placement_id="P-W1", member_id="1", action_id="1", rule_id="1")
    w.ids.update(referral_id="R-W1", scope="network_placement", returned_case="C-W2")
    w.case_data |= {"C-W1", "P-W1", "R-W1", "C-W2"}


def new_home(register_id: str) -> dict[str, Any]:
    return {"register_id": register_id, "kind": "recruited", "capacity": 2, "age_min": 0, "age_max": 17}


def new_activity(title: str = "Foster-parent training") -> dict[str, Any]:
    return {
        "kind": "training",
        "title": title,
        "starts_at": days_ahead(),
        "seats": 5,
        "open_to": [PARTNER],
    }


def new_request(case_id: str = "0380-W9", partners: tuple[str, ...] = (PARTNER,)) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "partners": list(partners),
        "age_band": "6-12",
        "placement_type": "familjehem",
        "from_date": day_from_today(),
        "protected_identity": False,
    }


async def _shared_home(w: World, register_id: str, owner: str, partner: str) -> str:
    home_id = (await w.made("POST", "/api/v1/family-homes", new_home(register_id), owner))["home_id"]
    await w.made("PUT", f"/api/v1/family-homes/{home_id}/sharing", {"shared_with": [partner]}, owner)
    return home_id


async def _collaboration(w: World) -> None:
    """0380 owns the objects and shares them with its partner 1980 only; 2180 is an outsider."""
    home = await _shared_home(w, "FH-W1", OWNER, PARTNER)
    offered = await _shared_home(w, "FH-P1", PARTNER, OWNER)
    request = (await w.made("POST", "/api/v1/matching-requests", new_request()))["request_id"]
    url = f"/api/v1/matching-requests/{request}/offers"
    offer = await w.made("POST", url, {"home_id": offered}, PARTNER)
    activity = (await w.made("POST", "/api/v1/activities", new_activity()))["activity_id"]
    booked = await w.made("POST", f"/api/v1/activities/{activity}/bookings", {"seats": 1}, PARTNER)
    w.ids.update(home_id=home, request_id=request, activity_id=activity, booking_id=booked["booking_id"])
    w.ids.update(partner_home=await _shared_home(w, "FH-P2", PARTNER, OWNER), offer_id=offer["offer_id"])
    w.ids.update(case_id="0380-W9")  # the request's case (no route names a case by path here)
    w.case_data |= {"0380-W9"}


OCCURRED = datetime(2026, 11, 20, 10, tzinfo=UTC)


async def _case_store(w: World) -> None:
    received = ("referrals", "se.natverk.referral.received.v1", "cw-1", "received")
    for key in ("k1", "k2"):
        w.store.record_event("0380-W5", OWNER, key, OCCURRED, *received)
    w.ids.update(case_id="0380-W5")
    w.case_data |= {"0380-W5"}
    w.store.issue_checkpoint()  # so that the latest checkpoint can be read


BUILDERS: dict[str, Callable[[World], Awaitable[None]]] = {
    "referrals": _referrals,
    "scheduling": _scheduling,
    "network_support": _network_support,
    "collaboration": _collaboration,
    "case_store": _case_store,
}
