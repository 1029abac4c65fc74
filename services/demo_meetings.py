"""The demo's meetings and referrals: the Network Centre's staff meeting, the safety team."""

from __future__ import annotations

from typing import Any

from services.demo_context import Demo
from services.demo_placements import CASE_WORKER, demo_pin
from services.demo_story import Story, local_time


def tell_the_staff_meeting(demo: Demo, story: Story) -> None:
    story.chapter("The Network Centre's staff meeting")
    meeting = demo.eventually(lambda: _staff_meeting(demo))
    if meeting is None:
        story.say("No staff meeting was booked within 20 seconds (is scheduling running?).")
        return
    start, end, deadline = (local_time(meeting[key]) for key in ("start", "end", "deadline"))
    story.say(
        f"The placement referred the child to the Network Centre, and scheduling booked the staff meeting "
        f"for {start}-{end[-5:]}, within the 7 days (deadline {deadline})."
        if not meeting["deadline_missed"]
        else f"The staff meeting could only be booked for {start}, after its deadline {deadline}: "
        "the breach is published and alerted on."
    )
    roles = _roles(demo)
    story.say("Invited:")
    for staff_id in meeting["staff_ids"]:
        story.point(f"{staff_id} ({roles.get(staff_id, 'staff').replace('_', ' ')})")


def _staff_meeting(demo: Demo) -> dict[str, Any] | None:
    calendar = demo.call("GET", "scheduling", f"/api/v1/cases/{demo.case_id}/calendar", "coordinator")
    return next((m for m in calendar["items"] if m["kind"] == "staff_meeting"), None)


def _roles(demo: Demo) -> dict[str, str]:
    roster = demo.call("GET", "scheduling", "/api/v1/staff", "coordinator", params={"limit": 200})
    return {row["staff_id"]: row["role"] for row in roster["items"]}


def refer_to_safety_team(demo: Demo, story: Story) -> None:
    story.chapter("The safety team")
    body = {
        "case_id": demo.case_id,
        "target": "safety_team",
        "child": {"pin": demo_pin(), "protected_identity": False},
        "child_status": "placed",
        "case_worker_id": CASE_WORKER,
        "reason": "safety planning with the network",
    }
    created = demo.call(
        "POST",
        "referrals",
        "/api/v1/referrals",
        "case_worker",
        subject=CASE_WORKER,
        json=body,
        headers={"Idempotency-Key": f"demo-{demo.case_id}"},
    )
    demo.call("POST", "referrals", f"/api/v1/referrals/{created['id']}/accept", "safety_team")
    story.say("The case worker refers the family to the safety team; the team lead accepts the referral,")
    story.say("and network support opens a Signs of Safety plan for the case.")
