"""The demo's last look: what is due on the demo case, from each service's worklist."""

from __future__ import annotations

from typing import Any

from services.demo_homes import Demo
from services.demo_story import Story

WORKLISTS = {  # the service, and a role that may read its worklist
    "referrals": "coordinator",
    "scheduling": "coordinator",
    "network_support": "case_worker",
}
MOST_PAGES = 20  # the demo case is new; a stack that ran many demos has older cases first


def tell_what_is_due(demo: Demo, story: Story) -> None:
    story.chapter("What is due on the case")
    items = [
        item for service in WORKLISTS if service in demo.stack.services for item in _items(demo, service)
    ]
    if not items:
        story.say("Nothing is due on the case.")
        return
    for item in sorted(items, key=lambda item: item["due"]):
        who = item["responsible_role"].replace("_", " ") + (
            f" {item['assignee']}" if item["assignee"] else ""
        )
        late = "  OVERDUE" if item["overdue"] else ""
        story.point(f"{item['due']}  {item['obligation'].replace('_', ' ')}: {who}{late}")
    story.say("(each service's GET /api/v1/worklist, filtered by assignee, role, due_before or overdue)")


def _items(demo: Demo, service: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 200}
    for _ in range(MOST_PAGES):
        page = demo.call("GET", service, "/api/v1/worklist", WORKLISTS[service], params=params)
        found += [item for item in page["items"] if item["case_id"] == demo.case_id]
        if not page.get("next_cursor"):
            break
        params["cursor"] = page["next_cursor"]
    return found
