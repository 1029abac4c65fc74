"""The demo's reports, as the unit head reads them: the Stockholm table, SAMS and Stella."""

from __future__ import annotations

from services.demo_homes import Demo
from services.demo_story import Story

AUTUMN = {"from": "2026-09-01", "to": "2026-12-31"}
MONTH = "2026-11"  # the demo child was placed on 2026-11-20


def tell_the_reports(demo: Demo, story: Story) -> None:
    if "case_store" in demo.stack.services:
        _stockholm_table(demo, story)
    if "network_support" in demo.stack.services:
        _school_starts(demo, story)
        _parent_support(demo, story)


def _stockholm_table(demo: Demo, story: Story) -> None:
    story.chapter("Children in 24-hour care, autumn 2026 (the Stockholm table)")
    story.say("As Uppsala's coordinator sees it:")
    _table(demo, story, "coordinator")
    story.say("Counts from 1 to 4 are shown as * (and one more cell where a total would give one away).")
    story.say("As ops sees it (every municipality, nothing suppressed):")
    _table(demo, story, "ops")


def _table(demo: Demo, story: Story, role: str) -> None:
    table = demo.call("GET", "case_store", "/api/v1/statistics/districts", role, params=AUTUMN)
    counted = [row["by_type"] for row in table["rows"]]
    types = [kind for kind in table["placement_types"] if any(str(by.get(kind, 0)) != "0" for by in counted)]
    rows = [
        [
            row["municipality"],
            row["district"],
            *(str(row["by_type"].get(kind, 0)) for kind in types),
            str(row["total"]),
        ]
        for row in table["rows"]
    ]
    story.table(["municipality", "district", *types, "total"], rows)


def _school_starts(demo: Demo, story: Story) -> None:
    story.chapter(f"School start after a placement with a change of school, {MONTH} (SAMS)")
    report = demo.call(
        "GET", "network_support", "/api/v1/reports/school-start", "coordinator", params={"month": MONTH}
    )
    for row in report["rows"]:
        state = "still waiting" if row["still_open"] else "started school"
        story.point(f"{row['case_id']}: placed {row['placed_on']}, {state} after {row['days']} day(s)")
    share = report["share_within_week"]
    story.say(f"Share within 7 days: {'-' if share is None else f'{share:.0%}'}")


def _parent_support(demo: Demo, story: Story) -> None:
    story.chapter(f"Parent support after placement, {MONTH} (Stella)")
    report = demo.call(
        "GET", "network_support", "/api/v1/reports/parent-support", "coordinator", params={"month": MONTH}
    )
    for row in report["municipalities"]:
        story.point(
            f"{row['municipality']}: {row['placements_started']} placement(s); support offered within 7 days "
            f"{row['offered_within_week']}, later {row['offered_later']}, missed {row['not_offered']}, "
            f"not yet due {row.get('not_due', 0)}; "
            f"{row['sessions']} session(s)"
        )
