"""``natverk demo`` (what ``make demo`` runs) against the stack as processes: the story it tells,
the timeline every service contributed to, and the statistics it feeds."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest

from services.demo import EXPECTED_TYPES
from services.demo_placements import CASE_WORKER
from services.stack import Stack
from tests.e2e.test_ops_cli import natverk
from tests.support.apps import eventually
from tests.support.tokens import bearer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def story(stack: Stack) -> str:
    result = natverk(stack, "demo")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_demo_tells_a_story_in_sentences_not_json(story: str) -> None:
    assert not story.lstrip().startswith("{")
    for chapter in ("A child is placed", "The Network Centre's staff meeting", "The child moves"):
        assert chapter in story, story


def test_the_demo_shows_the_assigned_case_worker_invited_to_the_staff_meeting(story: str) -> None:
    invited = story.split("Invited:", 1)[1].split("\n\n", 1)[0]
    assert f"{CASE_WORKER} (case worker)" in invited, story
    assert "(coordinator)" in invited and "(family therapist)" in invited, story


def test_the_demo_child_moving_frees_the_emergency_home_and_takes_the_partner_home(story: str) -> None:
    assert "The emergency home's place is free again (2 free); the Västerås home is taken (0 free)." in story


def test_the_demo_shows_what_is_due_and_what_is_overdue_on_the_case(story: str) -> None:
    due = story.split("What is due on the case", 1)[1].split("\n\n", 1)[0]
    # placed on 2026-11-20: the 7-day parent-support clock ran out on 2026-11-27
    assert "2026-11-27  parent support: network centre  OVERDUE" in due, story
    assert f"2026-11-27  school start: case worker {CASE_WORKER}  OVERDUE" in due, (
        story
    )  # the placement named them
    assert "staff meeting: coordinator" in due and "safety plan follow up: safety team" in due, story


def test_the_demo_shows_the_reports_with_small_counts_suppressed_for_the_coordinator(story: str) -> None:
    table = story.split("As Uppsala's coordinator sees it:", 1)[1].split("Counts from", 1)[0]
    assert "Centrum" in table and "*" in table and " 1 " not in table, story
    for report in ("(the Stockholm table)", "(SAMS)", "(Stella)"):
        assert report in story


def test_every_running_service_contributed_to_the_demo_timeline(stack: Stack, story: str) -> None:
    case_id = re.search(r"\(0380/(0380-DEMO-[0-9a-f]+)\)", story)
    assert case_id, story
    timeline = httpx.get(
        f"{stack.url('case_store')}/api/v1/cases/{case_id.group(1)}/timeline",
        params={"limit": 200},
        headers=bearer("0380", ("auditor",)),
    ).json()
    types = {entry["event_type"] for entry in timeline["items"]}
    for service in stack.services:
        assert EXPECTED_TYPES[service] <= types, (
            f"{service} is missing from the demo timeline: {sorted(types)}"
        )
    assert all(entry["hash"] for entry in timeline["items"])


async def test_the_demo_feeds_the_statistics(stack: Stack, story: str) -> None:
    def autumn_counted() -> dict[str, dict[str, str]] | None:
        report = natverk(stack, "stats", "--from", "2026-09-01", "--to", "2026-12-31", "--format", "csv")
        assert report.returncode == 0, report.stderr
        rows = {row["municipality"]: row for row in csv.DictReader(io.StringIO(report.stdout))}
        return (
            rows
            if {"0380", "1980", "2180"} <= rows.keys() and int(rows["0380"]["home_returns"]) >= 1
            else None
        )

    # the demo's autumn placements: a home return in 0380, a breakdown and new home in 1980, a network home in 2180
    rows = await eventually(autumn_counted, timeout=20, interval=0.5)
    assert int(rows["1980"]["breakdowns"]) >= 1 and int(rows["1980"]["familjehem"]) >= 1
    assert int(rows["2180"]["natverkshem"]) >= 1 and rows["2180"]["kinship_share"] != "0.0%"
