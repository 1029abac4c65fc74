"""For every command route of every service: how to call it in its world, and a different request.

``COMMANDS[(service, METHOD, path)](world)`` gives the path parameters, a valid body and the
caller (whose first call must succeed), a different request under the same key (another body,
or other path parameters where there is no body), and a municipality for which the same key is
another request.  ``call_for`` gives the same for reads (path parameters from the world).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.security.command_path_world import (
    ACTION,
    COMMAND_METHODS,
    MEMBER,
    OUTSIDER,
    OWNER,
    PARTNER,
    PEDAGOGUE,
    World,
    absent,
    new_activity,
    new_home,
    new_meeting,
    new_referral,
    new_request,
)


@dataclass
class Call:
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    alt_body: Any = None  # the same key with this body is another request; None: other path parameters
    caller: str = OWNER
    other: str = PARTNER  # the same key from this municipality is another request
    visible_to: tuple[str, ...] = ()  # municipalities besides the caller's that may see the world's object
    no_object: bool = False  # the world has nothing this route names: it answers 404
    query: dict[str, str] = field(default_factory=dict)

    def url(
        self, path: str, params: dict[str, str] | None = None, query: dict[str, str] | None = None
    ) -> str:
        url = path.format(**(self.params if params is None else params))
        query = self.query if query is None else query
        return f"{url}?{urlencode(query)}" if query else url

    def alt_params(self) -> dict[str, str]:
        return {name: absent(name) for name in self.params}


Table = dict[tuple[str, str, str], Callable[[World], Call]]
ON = {"on": "2026-11-05"}
REFERRALS = "/api/v1/referrals/{referral_id}"
MEETINGS = "/api/v1/meetings/{meeting_id}"
CASE = "/api/v1/cases/{case_id}"
PLACEMENT = "/api/v1/placements/{placement_id}"
HOMES = "/api/v1/family-homes/{home_id}"
REQUESTS = "/api/v1/matching-requests/{request_id}"
ACTIVITIES = "/api/v1/activities/{activity_id}"
PARKED = "/api/v1/ops/outbox/{notification_id}"  # no record is parked in any world
RELEASE = f"{PARKED}/release"


def _ids(w: World, *names: str) -> dict[str, str]:
    return {name: w.ids[name] for name in names}


def _referrals() -> Table:
    received = lambda w: _ids(w, "referral_id")  # noqa: E731
    return {
        ("referrals", "POST", "/api/v1/referrals"): lambda w: Call(
            body=new_referral("0380-N1"), alt_body=new_referral("0380-N1", reason="another reason")
        ),
        ("referrals", "POST", f"{REFERRALS}/accept"): lambda w: Call(received(w)),
        ("referrals", "POST", f"{REFERRALS}/decline"): lambda w: Call(
            received(w), {"reason": "no capacity"}, {"reason": "another reason"}
        ),
        ("referrals", "POST", f"{REFERRALS}/close"): lambda w: Call(
            {"referral_id": w.ids["accepted_referral"]}
        ),
        ("referrals", "POST", f"{REFERRALS}/revoke"): lambda w: Call(received(w)),
    }


def _scheduling() -> Table:
    meeting = lambda w: _ids(w, "meeting_id")  # noqa: E731
    moved = {"start": "2026-11-25T09:00:00", "end": "2026-11-25T10:00:00"}
    return {
        ("scheduling", "POST", "/api/v1/staff"): lambda w: Call(
            body={"staff_id": "cw-new", "role": "case_worker"},
            alt_body={"staff_id": "cw-new", "role": "coordinator"},
        ),
        ("scheduling", "DELETE", "/api/v1/staff/{staff_id}"): lambda w: Call({"staff_id": PEDAGOGUE}),
        ("scheduling", "POST", "/api/v1/meetings"): lambda w: Call(
            body=new_meeting("0380-N7", day=26), alt_body=new_meeting("0380-N8", day=26)
        ),
        ("scheduling", "POST", f"{MEETINGS}/reschedule"): lambda w: Call(
            meeting(w), moved, {**moved, "end": "2026-11-25T11:00:00"}
        ),
        ("scheduling", "POST", f"{MEETINGS}/cancel"): lambda w: Call(
            meeting(w), {"reason": "family ill"}, {"reason": "room taken"}
        ),
        ("scheduling", "POST", f"{MEETINGS}/attendance"): lambda w: Call(
            meeting(w),
            {"attended": ["0380-family-therapist-1"], "outcome": "held"},
            {"attended": [], "outcome": "nobody came"},
        ),
    }


def _network_support() -> Table:
    case = lambda w: _ids(w, "case_id")  # noqa: E731
    member = lambda w: _ids(w, "case_id", "member_id")  # noqa: E731
    placement = lambda w: _ids(w, "placement_id")  # noqa: E731
    statement = {"statement": "Another danger", "safety_goal": "Safer", "scale": 4, "on": "2026-11-05"}
    session = {"on": "2026-11-05", "mode": "phone", "parent": "mother"}
    change = {"relation": "aunt", "roles": ["support_person"], "contact_consent": True}
    ns = "network_support"
    return {
        (ns, "POST", f"{CASE}/support-plan/goals"): lambda w: Call(
            case(w), {"goal": "Home"}, {"goal": "School"}
        ),
        (ns, "POST", f"{CASE}/support-plan/actions"): lambda w: Call(
            case(w), ACTION, {**ACTION, "owner_role": "case_worker"}
        ),
        (ns, "POST", f"{CASE}/support-plan/actions/{{action_id}}/complete"): lambda w: Call(
            _ids(w, "case_id", "action_id")
        ),
        (ns, "POST", f"{CASE}/network-map/members"): lambda w: Call(
            case(w), MEMBER, {**MEMBER, "relation": "uncle"}
        ),
        (ns, "PUT", f"{CASE}/network-map/members/{{member_id}}"): lambda w: Call(
            member(w), change, {**change, "contact_consent": False}
        ),
        (ns, "DELETE", f"{CASE}/network-map/members/{{member_id}}"): lambda w: Call(member(w)),
        (ns, "POST", f"{CASE}/safety-plan"): lambda w: Call(case(w)),
        (ns, "POST", f"{CASE}/safety-plan/danger-statements"): lambda w: Call(
            case(w), statement, {**statement, "scale": 5}
        ),
        (ns, "POST", f"{CASE}/safety-plan/scales"): lambda w: Call(
            case(w), {"statement_id": 1, "value": 5, **ON}, {"statement_id": 1, "value": 6, **ON}
        ),
        (ns, "POST", f"{CASE}/safety-plan/rules"): lambda w: Call(
            case(w),
            {"text": "Aunt picks up", "responsible_member_ids": [1]},
            {"text": "Aunt calls", "responsible_member_ids": [1]},
        ),
        (ns, "POST", f"{CASE}/safety-plan/revisions"): lambda w: Call(case(w), ON, {"on": "2026-11-06"}),
        (ns, "POST", f"{CASE}/safety-plan/follow-ups"): lambda w: Call(case(w), ON, {"on": "2026-11-06"}),
        (ns, "POST", f"{PLACEMENT}/inquiry/candidates"): lambda w: Call(placement(w)),
        (ns, "POST", f"{PLACEMENT}/inquiry/outcome"): lambda w: Call(
            placement(w),
            {"outcome": "declined", "reason": "the family said no"},
            {"outcome": "not_suitable", "reason": "too far"},
        ),
        (ns, "POST", f"{PLACEMENT}/parent-support/offers"): lambda w: Call(
            placement(w), ON, {"on": "2026-11-06"}
        ),
        (ns, "POST", f"{PLACEMENT}/parent-support/sessions"): lambda w: Call(
            placement(w), session, {**session, "mode": "in_person"}
        ),
        (ns, "POST", f"{PLACEMENT}/school-start"): lambda w: Call(placement(w), ON, {"on": "2026-11-06"}),
        (ns, "POST", f"{PLACEMENT}/examinations"): lambda w: Call(
            placement(w), {"kind": "health", **ON}, {"kind": "dental", **ON}
        ),
        (ns, "POST", f"{CASE}/home-return"): lambda w: Call(
            case(w), {"phase": "trial", **ON}, {"phase": "broken_off", **ON}
        ),
    }


def _collaboration() -> Table:
    home = lambda w: _ids(w, "home_id")  # noqa: E731
    request = lambda w: _ids(w, "request_id")  # noqa: E731
    activity = lambda w: _ids(w, "activity_id")  # noqa: E731
    profile = {"capacity": 3, "age_min": 0, "age_max": 17, "languages": ["sv"]}
    co = "collaboration"

    def partner(call: Call) -> Call:  # a partner's command: 2180, the outsider, is the other municipality
        call.caller, call.other = PARTNER, OUTSIDER
        return call

    return {
        (co, "POST", "/api/v1/family-homes"): lambda w: Call(
            body=new_home("FH-N1"), alt_body=new_home("FH-N2")
        ),
        (co, "PUT", f"{HOMES}/profile"): lambda w: Call(home(w), profile, {**profile, "capacity": 4}),
        (co, "PUT", f"{HOMES}/sharing"): lambda w: Call(
            home(w), {"shared_with": [PARTNER, OUTSIDER]}, {"shared_with": [OUTSIDER]}
        ),
        (co, "PUT", f"{HOMES}/availability"): lambda w: Call(
            home(w), {"available": False}, {"available": True}
        ),
        (co, "POST", "/api/v1/matching-requests"): lambda w: Call(
            body=new_request("0380-N9"), alt_body=new_request("0380-N9", (OUTSIDER,)), other=OUTSIDER
        ),
        (co, "POST", f"{REQUESTS}/offers"): lambda w: partner(
            Call(request(w), {"home_id": w.ids["partner_home"]}, {"home_id": w.ids["home_id"]})
        ),
        (co, "POST", f"{REQUESTS}/accept"): lambda w: Call(
            request(w), {"offer_id": w.ids["offer_id"]}, {"offer_id": "another-offer"}
        ),
        (co, "POST", f"{REQUESTS}/withdraw"): lambda w: Call(request(w)),
        (co, "POST", "/api/v1/activities"): lambda w: Call(
            body=new_activity("Theme evening"), alt_body=new_activity("Another evening")
        ),
        (co, "POST", f"{ACTIVITIES}/bookings"): lambda w: partner(
            Call(activity(w), {"seats": 1}, {"seats": 2})
        ),
        (co, "DELETE", f"{ACTIVITIES}/bookings/{{booking_id}}"): lambda w: partner(
            Call(_ids(w, "activity_id", "booking_id"))
        ),
        (co, "POST", f"{ACTIVITIES}/cancel"): lambda w: Call(activity(w)),
    }


COMMANDS: Table = {**_referrals(), **_scheduling(), **_network_support(), **_collaboration()}
# The kit's own command routes, which every service with a relay serves.
KIT_COMMANDS: dict[tuple[str, str], Callable[[World], Call]] = {
    ("POST", RELEASE): lambda w: Call(_ids(w, "notification_id"), no_object=True),
}


def entry(service: str, method: str, path: str) -> Callable[[World], Call] | None:
    """How to call a command route in its world; None if the table does not say."""
    return COMMANDS.get((service, method, path)) or KIT_COMMANDS.get((method, path))


# The query a read needs in its world (the others need none).
QUERIES = {("case_store", "GET", "/api/v1/statistics/placements"): {"from": "2026-01-01", "to": "2026-12-31"}}


def path_parameters(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def call_for(world: World, method: str, path: str) -> Call:
    """The table's call for a command; for a read, the world's objects named by path parameter."""
    key = (world.service, method, path)
    if method in COMMAND_METHODS and (command := entry(*key)) is not None:
        call = command(world)
    else:
        call = Call({name: world.ids[name] for name in path_parameters(path)}, query=QUERIES.get(key, {}))
        call.no_object = path.startswith(PARKED)
    if world.service == "collaboration":  # 0380's objects are shared with 1980; 1980's booking is on 0380's
        call.visible_to = (PARTNER,) if call.caller == OWNER else (OWNER,)
    return call
