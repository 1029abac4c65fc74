"""For every command route of every service: how to call it in its world, and a different request.

``COMMANDS[(service, METHOD, path)](world)`` gives the path parameters, a valid body and the
caller (whose first call must succeed), a different request under the same key (another body,
or other path parameters where there is no body), and a municipality for which the same key is
another request.  ``call_for`` gives the same for reads (path parameters from the world).
``Call`` is in ``command_path_call``; network_support's entries in ``command_path_table_network_support``.
``POST_READS`` says the same for the reads made by POST.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.security.command_path_call import (
    ACTIVITIES,
    CASE,
    HOMES,
    MEETINGS,
    PARKED,
    REFERRALS,
    RELEASE,
    REQUESTS,
    Call,
    Table,
    ids_of,
)
from tests.security.command_path_table_network_support import network_support
from tests.security.command_path_world import (
    CHILD,
    COMMAND_METHODS,
    MUNICIPALITIES,
    OUTSIDER,
    OWNER,
    PARTNER,
    PEDAGOGUE,
    World,
    new_activity,
    new_home,
    new_meeting,
    new_referral,
    new_request,
)


def _referrals() -> Table:
    received = lambda w: ids_of(w, "referral_id")  # noqa: E731
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
        ("referrals", "PUT", f"{REFERRALS}/case-worker"): lambda w: Call(
            received(w), {"case_worker_id": "handlaggare-1"}, {"case_worker_id": "handlaggare-2"}
        ),
        # 0380-W1's referral said placement is near: its safety planning is to be examined
        ("referrals", "POST", f"{CASE}/safety-planning-examination"): lambda w: Call(
            {"case_id": "0380-W1"}, {"outcome": "not_suitable"}, {"outcome": "family_declined"}
        ),
    }


def _scheduling() -> Table:
    meeting = lambda w: ids_of(w, "meeting_id")  # noqa: E731
    moved = {"start": "2026-11-25T09:00:00", "end": "2026-11-25T10:00:00"}
    return {
        ("scheduling", "POST", "/api/v1/staff"): lambda w: Call(
            body={"staff_id": "cw-new", "role": "case_worker"},
            alt_body={"staff_id": "cw-new", "role": "coordinator"},
        ),
        ("scheduling", "DELETE", "/api/v1/staff/{staff_id}"): lambda w: Call({"staff_id": PEDAGOGUE}),
        ("scheduling", "PATCH", "/api/v1/staff/{staff_id}"): lambda w: Call(
            ids_of(w, "staff_id"), {"work_starts": "07:00"}, {"work_starts": "07:30"}
        ),
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
        ("scheduling", "POST", f"{MEETINGS}/fill-role"): lambda w: Call(
            {"meeting_id": w.ids["meeting_with_a_role_to_fill"]},
            {"role": "parent_supporter", "staff_id": "0380-parent-supporter-1"},
            {"role": "parent_supporter", "staff_id": "0380-parent-supporter-1", "over_weekly_capacity": True},
        ),
        # No body: another request under the same key is one for another staff member or case.
        ("scheduling", "POST", "/api/v1/staff/{staff_id}/feed-tokens"): lambda w: Call(ids_of(w, "staff_id")),
        ("scheduling", "POST", f"{CASE}/feed-tokens"): lambda w: Call(ids_of(w, "case_id")),
        ("scheduling", "DELETE", "/api/v1/staff/{staff_id}/feed-tokens/{token_id}"): lambda w: Call(
            {"staff_id": w.ids["staff_id"], "token_id": w.ids["staff_token_id"]}
        ),
        ("scheduling", "DELETE", f"{CASE}/feed-tokens/{{token_id}}"): lambda w: Call(
            {"case_id": w.ids["case_id"], "token_id": w.ids["case_token_id"]}
        ),
    }


def _collaboration() -> Table:
    home = lambda w: ids_of(w, "home_id")  # noqa: E731
    request = lambda w: ids_of(w, "request_id")  # noqa: E731
    activity = lambda w: ids_of(w, "activity_id")  # noqa: E731
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
            Call(ids_of(w, "activity_id", "booking_id"))
        ),
        (co, "POST", f"{ACTIVITIES}/cancel"): lambda w: Call(activity(w)),
    }


def _case_store() -> Table:
    # No body: another request under the same key is one with a body.
    return {("case_store", "POST", "/api/v1/audit/checkpoints"): lambda w: Call(alt_body={})}


COMMANDS: Table = {**_referrals(), **_scheduling(), **network_support(), **_collaboration(), **_case_store()}
# The kit's own command routes, which every service with a relay serves.
KIT_COMMANDS: dict[tuple[str, str], Callable[[World], Call]] = {
    ("POST", RELEASE): lambda w: Call(ids_of(w, "notification_id"), no_object=True),
}


# Reads made by POST, so that what they are asked about stays out of URLs (a registerutdrag,
# ADR 0018), or that log a read made elsewhere: walked as reads, with the body each needs.
SUBJECT_ACCESS = "/api/v1/subject-access"
POST_READS: Table = {
    ("referrals", "POST", SUBJECT_ACCESS): lambda w: Call(body={"pin": CHILD}),
    **{
        (service, "POST", SUBJECT_ACCESS): lambda w: Call(body={"case_ids": [w.ids["case_id"]]})
        for service in ("scheduling", "network_support", "collaboration", "case_store")
    },
    # Logs an ops read of dead letters naming these cases (natverk dlq show, ADR 0004 addendum).
    ("case_store", "POST", "/api/v1/ops/dead-letter-reads"): lambda w: Call(
        body={"cases": [{"municipality": OWNER, "case_id": w.ids["case_id"]}]}
    ),
}


def entry(service: str, method: str, path: str) -> Callable[[World], Call] | None:
    """How to call a command route (or a read made by POST) in its world; None if the table does not say."""
    key = (service, method, path)
    return COMMANDS.get(key) or POST_READS.get(key) or KIT_COMMANDS.get((method, path))


# Reads whose credential is a secret token in the path, not the bearer token (ADR 0023).
TOKEN_READS = ("/api/v1/feeds/{token}.ics",)

# The query a read needs in its world (the others need none).
QUERIES = {
    ("case_store", "GET", "/api/v1/statistics/placements"): {"from": "2026-01-01", "to": "2026-12-31"},
    ("case_store", "GET", "/api/v1/statistics/districts"): {"from": "2026-01-01", "to": "2026-12-31"},
    ("network_support", "GET", "/api/v1/reports/school-start"): {"month": "2026-11"},
    ("network_support", "GET", "/api/v1/reports/parent-support"): {"month": "2026-11"},
}


def path_parameters(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)  # also one inside a segment: /feeds/{token}.ics


def call_for(world: World, method: str, path: str) -> Call:
    """The table's call for a command; for a read, the world's objects named by path parameter."""
    key = (world.service, method, path)
    if method in COMMAND_METHODS and (command := entry(*key)) is not None:
        call = command(world)
    else:
        call = Call({name: world.ids[name] for name in path_parameters(path)}, query=QUERIES.get(key, {}))
        call.no_object = path.startswith(PARKED)
    if path in TOKEN_READS:  # the token in the path is the credential: a bearer token changes nothing
        call.visible_to = MUNICIPALITIES
    if world.service == "collaboration":  # 0380's objects are shared with 1980; 1980's booking is on 0380's
        call.visible_to = (PARTNER,) if call.caller == OWNER else (OWNER,)
    return call
