"""The ledger: every command the load generator issues, each attempt and its outcome.

Kinds (the service whose store holds the effect; the timeline entry it leaves, if any):

* ``placement``: a placement-started CloudEvent on ``ext.placements.v1`` from the municipality's
  case system (ok = the broker acknowledged it); referrals creates a referral, the case store
  records the placement and the referral's "received".
* ``referral``: ``POST /api/v1/referrals`` (referrals; "received" on the timeline).
* ``meeting``: a network meeting, ``POST /api/v1/meetings`` (scheduling; "booked").
* ``parent_support``: a parent-support session for an acknowledged placement,
  ``POST /api/v1/placements/{id}/parent-support/sessions`` (network_support; a follow-up entry).
* ``home``: a family home, ``POST /api/v1/family-homes`` (collaboration; not about a case).

An HTTP command carries an ``Idempotency-Key``; a placement its CloudEvent id.  Retries of an
unknown outcome send the very same request.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.kit.settings import DEV_JWT_SECRET
from services.kit.token_minting import mint_token
from tests.support.events import encode, placement_started, valid_pin

KINDS = ("placement", "referral", "meeting", "parent_support", "home")
SERVICE_OF = {
    "placement": "broker",
    "referral": "referrals",
    "meeting": "scheduling",
    "parent_support": "network_support",
    "home": "collaboration",
}
MUNICIPALITY = "0380"
ROLES = {  # whom the load generator acts as, per kind of HTTP command
    "referral": ("case_worker",),
    "meeting": ("case_worker",),
    "parent_support": ("case_worker",),
    "home": ("family_home_consultant",),
}
STAFF = ["0380-family-pedagogue-1"]  # of the default roster
FIRST_SLOT = datetime(2031, 1, 6, 9, 0)  # far from the staff meetings scheduling convenes itself


def bearer(roles: tuple[str, ...], subject: str) -> dict[str, str]:
    """A development token (services in development mode accept it), good for a long soak."""
    token = mint_token(DEV_JWT_SECRET, subject, MUNICIPALITY, list(roles), lifetime_seconds=6 * 3600)
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Attempt:
    start: float
    end: float
    result: str  # ok | rejected | unknown
    detail: str = ""


@dataclass
class Command:
    kind: str
    case_id: str  # the case whose timeline the effect reaches ("" for none)
    key: str  # the Idempotency-Key, or the CloudEvent id
    ref: str = ""  # the placement id or the home's register id
    path: str = ""
    body: dict[str, Any] = field(default_factory=dict)
    value: bytes = b""  # a placement's record
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """ok or rejected as the last attempt answered; unknown if it never got an answer."""
        last = self.attempts[-1].result if self.attempts else "unknown"
        return last if last in ("ok", "rejected") else "unknown"

    @property
    def settled(self) -> bool:
        return self.outcome != "unknown"

    @property
    def service(self) -> str:
        return SERVICE_OF[self.kind]


def _case(letter: str, n: int) -> str:
    return f"{MUNICIPALITY}-{letter}{n}-{uuid.uuid4().hex[:6]}"


def placement(n: int, rng: random.Random) -> Command:
    case_id = _case("K", n)
    event = placement_started(case_id, f"P-{case_id}", pin=valid_pin(rng.randrange(10_000)))
    return Command("placement", case_id, event["id"], ref=f"P-{case_id}", value=encode(event))


def referral(n: int, rng: random.Random) -> Command:
    case_id = _case("H", n)
    body = {
        "case_id": case_id,
        "target": rng.choice(["safety_team", "network_centre"]),
        "child": {"pin": valid_pin(rng.randrange(10_000)), "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-chaos",
        "reason": "chaos",
    }
    return Command("referral", case_id, f"chaos-{case_id}", path="/api/v1/referrals", body=body)


def meeting(n: int, rng: random.Random) -> Command:
    case_id = _case("M", n)
    start = FIRST_SLOT + timedelta(hours=2 * n)  # no two of the harness's meetings overlap
    body = {
        "case_id": case_id,
        "kind": "network_meeting",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
        "staff_ids": STAFF,
        "other_participants": ["parent", "network"],
        "outside_working_hours": True,  # two hours apart round the clock, most after working hours
        "over_weekly_capacity": True,  # twelve hours a day, one pedagogue: past 40 a week by Thursday
    }
    return Command("meeting", case_id, f"chaos-{case_id}", path="/api/v1/meetings", body=body)


def parent_support(placed: Command, rng: random.Random) -> Command:
    body = {"on": "2026-11-23", "mode": rng.choice(["phone", "in_person"]), "parent": "mother"}
    path = f"/api/v1/placements/{placed.ref}/parent-support/sessions"
    key = f"chaos-support-{placed.case_id}"
    return Command("parent_support", placed.case_id, key, ref=placed.ref, path=path, body=body)


def home(n: int, rng: random.Random) -> Command:
    register_id = f"chaos-home-{n}-{uuid.uuid4().hex[:6]}"
    body = {
        "register_id": register_id,
        "kind": rng.choice(["recruited", "kinship"]),
        "capacity": rng.randint(1, 3),
        "age_min": 0,
        "age_max": 17,
    }
    return Command(
        "home", "", f"chaos-{register_id}", ref=register_id, path="/api/v1/family-homes", body=body
    )
