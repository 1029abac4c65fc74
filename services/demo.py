"""``make demo``: a realistic scenario against the running stack (started if asked and needed),
told as a story.

Uppsala's case-management system reports that a child has been placed in an emergency home with
a change of school and names the responsible case worker; the event is delivered twice (as
at-least-once delivery may) and a malformed record arrives too.  The Network Centre's staff
meeting is booked with the case worker invited; the case worker refers the family to the safety
team and the team lead accepts.  Uppsala finds a family home in Västerås through the pool, and
the child moves there (a placement change).  The story ends with what is due, the reports and
the case's timeline as the case store serves it.

Around it, the three partner municipalities report a few other placements of this autumn (a
home return, a breakdown followed by a new placement, a network home), so that the reports and
``natverk stats`` afterwards have something to count.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from services.demo_context import Demo
from services.demo_due import tell_what_is_due
from services.demo_homes import find_a_partner_home, register_homes
from services.demo_meetings import refer_to_safety_team, tell_the_staff_meeting
from services.demo_placing import move_the_child, place_the_child
from services.demo_reports import tell_the_reports
from services.demo_story import Story, tell_timeline
from services.kit.settings import ServiceSettings
from services.stack import Stack, available_services

MUNICIPALITY = "0380"
# What each running service adds to the timeline in this scenario.
EXPECTED_TYPES = {
    "case_store": {"se.placement.started.v1", "se.placement.changed.v1"},
    "referrals": {"se.natverk.referral.received.v1", "se.natverk.referral.accepted.v1"},
    "scheduling": {"se.natverk.meeting.booked.v1"},
    "network_support": {
        "se.natverk.network_placement_inquiry.changed.v1",
        "se.natverk.placement_follow_up.recorded.v1",
        "se.natverk.safety_plan.changed.v1",
    },
    "collaboration": {"se.natverk.family_home.occupancy_changed.v1"},
}


@dataclass(frozen=True)
class DemoResult:
    story: str
    timeline: Any


def _timeline(demo: Demo) -> Any:
    expected = set().union(*(EXPECTED_TYPES.get(service, set()) for service in demo.stack.services))

    def complete() -> Any:
        # One page of the most a page holds: the demo's case is new and has a few dozen entries.
        timeline = demo.call(
            "GET", "case_store", f"/api/v1/cases/{demo.case_id}/timeline", "auditor", params={"limit": 200}
        )
        return timeline if expected <= {entry["event_type"] for entry in timeline["items"]} else None

    return demo.eventually(complete) or demo.call(
        "GET", "case_store", f"/api/v1/cases/{demo.case_id}/timeline", "auditor", params={"limit": 200}
    )


def _tell(demo: Demo, story: Story) -> Any:
    services = demo.stack.services
    homes = register_homes(demo, story) if "collaboration" in services else None
    place_the_child(demo, story, homes)
    if "scheduling" in services and "referrals" in services:
        tell_the_staff_meeting(demo, story)
    if "referrals" in services:
        refer_to_safety_team(demo, story)
    if homes is not None:
        move_the_child(demo, story, find_a_partner_home(demo, story, homes))
    tell_what_is_due(demo, story)
    tell_the_reports(demo, story)
    timeline = _timeline(demo)
    tell_timeline(story, timeline)
    return timeline


def run_demo(settings: ServiceSettings, start_stack: bool = False) -> DemoResult:
    stack = Stack(settings, available_services())
    started_here = False
    if not stack.is_running():
        if not start_stack:
            raise SystemExit("the stack is not running: start it with `make up` or use --start")
        stack.start()
        started_here = True
    try:
        case_id = f"{MUNICIPALITY}-DEMO-{uuid.uuid4().hex[:6]}"
        story = Story()
        with httpx.Client(timeout=10) as client:
            timeline = _tell(Demo(client, stack, settings, case_id), story)
        return DemoResult(story.text(), timeline)
    finally:
        if started_here:
            stack.stop()
