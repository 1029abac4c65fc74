"""Every dated fact of a safety plan falls while the plan was open: on or after the Swedish day it
was drafted (or last reopened), and not after today.  A fact dated before would make the record
contradict itself (a plan concluded, followed up or scaled before it existed): refused with 422
``dated_before_the_plan``, naming the field and never the date sent.  Over HTTP with a JWT."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import REFERRALS
from services.network_support.app import create_app
from services.network_support.inbound import consumers
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.tokens import bearer

TEAM = bearer("0380", ("safety_team",), subject="st-4")
PLAN = "/api/v1/cases/C-1/safety-plan"
DRAFTED = date(2026, 6, 1)
TODAY = date(2026, 12, 3)
THE_DAY_BEFORE = "2026-05-31"
STATEMENT = {"statement": "Dad drinks and hits", "safety_goal": "A sober adult at home", "scale": 3}


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """Case C-1's safety plan drafted on 2026-06-01 with one danger statement of that day; today
    2026-12-03."""
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    store.today = lambda: DRAFTED
    async with in_process(app, "http://network-support") as client:
        assert (await client.post(PLAN, headers=TEAM)).status_code == 201
        first = await client.post(
            f"{PLAN}/danger-statements", headers=TEAM, json=STATEMENT | {"on": "2026-06-01"}
        )
        assert first.status_code == 200, first.text
        store.today = lambda: TODAY
        yield client


async def refused_before_the_plan(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> None:
    """The command is refused as dated before the plan, naming ``on`` and not the date, and the
    plan is as it was."""
    before = (await client.get(PLAN, headers=TEAM)).json()
    refused = await client.post(f"{PLAN}{path}", headers=TEAM, json=body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "dated_before_the_plan"), (
        refused.text
    )
    assert refused.json()["error"]["message"].startswith("on: ")
    assert THE_DAY_BEFORE not in refused.text and "2026-06-01" not in refused.text
    assert (await client.get(PLAN, headers=TEAM)).json() == before


async def test_a_plan_cannot_be_concluded_on_a_day_before_it_was_drafted(network_support) -> None:
    ending = {"reason": "safety_goals_met", "on": THE_DAY_BEFORE}
    await refused_before_the_plan(network_support, "/conclude", ending)


async def test_a_plan_cannot_be_followed_up_on_a_day_before_it_was_drafted(network_support) -> None:
    await refused_before_the_plan(network_support, "/follow-ups", {"on": THE_DAY_BEFORE})


async def test_a_plan_cannot_be_revised_on_a_day_before_it_was_drafted(network_support) -> None:
    await refused_before_the_plan(network_support, "/revisions", {"on": THE_DAY_BEFORE})


async def test_a_danger_statement_cannot_be_dated_before_its_plan_was_drafted(network_support) -> None:
    await refused_before_the_plan(network_support, "/danger-statements", STATEMENT | {"on": THE_DAY_BEFORE})


async def test_a_scale_reading_cannot_be_dated_before_its_plan_was_drafted(network_support) -> None:
    reading = {"statement_id": 1, "value": 6, "on": THE_DAY_BEFORE}
    await refused_before_the_plan(network_support, "/scales", reading)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/danger-statements", STATEMENT | {"on": "2026-06-01"}),
        ("/scales", {"statement_id": 1, "value": 6, "on": "2026-06-01"}),
        ("/revisions", {"on": "2026-06-01"}),
        ("/follow-ups", {"on": "2026-06-01"}),
        ("/conclude", {"reason": "safety_goals_met", "on": "2026-06-01"}),
    ],
    ids=["danger statement", "scale reading", "revision", "follow-up", "conclusion"],
)
async def test_a_fact_of_a_plan_may_be_dated_on_the_day_the_plan_was_drafted(
    network_support, path: str, body: dict[str, Any]
) -> None:
    accepted = await network_support.post(f"{PLAN}{path}", headers=TEAM, json=body)
    assert accepted.status_code == 200, accepted.text


async def test_a_plan_cannot_be_revised_on_a_day_after_today(network_support) -> None:
    refused = await network_support.post(f"{PLAN}/revisions", headers=TEAM, json={"on": "2026-12-04"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "dated_after_today")
    assert "on" in refused.json()["error"]["message"] and "2026-12-04" not in refused.text
    assert (await network_support.get(PLAN, headers=TEAM)).json()["version"] == 1


async def test_a_reopened_plan_takes_no_fact_dated_before_the_day_it_was_reopened(network_support) -> None:
    """Concluded in July, reopened today: a follow-up in November fell while there was no open plan."""
    ending = {"reason": "safety_goals_met", "on": "2026-07-01"}
    assert (await network_support.post(f"{PLAN}/conclude", headers=TEAM, json=ending)).status_code == 200
    assert (await network_support.post(PLAN, headers=TEAM)).status_code == 201  # reopened today
    refused = await network_support.post(f"{PLAN}/follow-ups", headers=TEAM, json={"on": "2026-11-02"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "dated_before_the_plan")
    on_the_day = await network_support.post(
        f"{PLAN}/follow-ups", headers=TEAM, json={"on": TODAY.isoformat()}
    )
    assert on_the_day.status_code == 200, on_the_day.text


async def test_a_plan_cannot_be_concluded_on_a_day_before_a_fact_recorded_while_it_was_open(
    network_support,
) -> None:
    """Followed up in November and scaled then: concluded in July, it would read ended while it ran."""
    for path, body in [("/follow-ups", {"on": "2026-11-01"}), ("/scales", {"statement_id": 1, "value": 6})]:
        recorded = await network_support.post(f"{PLAN}{path}", headers=TEAM, json=body | {"on": "2026-11-02"})
        assert recorded.status_code == 200, recorded.text
    before = (await network_support.get(PLAN, headers=TEAM)).json()
    ending = {"reason": "safety_goals_met", "on": "2026-07-01"}
    refused = await network_support.post(f"{PLAN}/conclude", headers=TEAM, json=ending)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "concluded_before_its_facts")
    assert refused.json()["error"]["message"].startswith("on: ") and "2026-" not in refused.text
    assert (await network_support.get(PLAN, headers=TEAM)).json() == before
    on_the_last_fact = await network_support.post(
        f"{PLAN}/conclude", headers=TEAM, json=ending | {"on": "2026-11-02"}
    )
    assert on_the_last_fact.status_code == 200, on_the_last_fact.text


async def test_a_safety_plan_made_by_an_accepted_referral_is_open_from_the_day_the_referral_was_accepted(
    tmp_path: Path,
) -> None:
    """Accepted on 1 December, heard on the 3rd (the consumer lagged, or the record was redriven):
    a danger statement of 2 December falls while the plan was open, and its follow-up is due from
    the 1st."""
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    store.today = lambda: TODAY
    [spec] = [spec for spec in consumers(store) if spec.topic == REFERRALS]
    consumer, _ = in_process_consumer(store, spec, "referral-news")
    data = {"referral_id": "R-1", "case_id": "C-1", "municipality": "0380", "target": "safety_team"}
    when = {"time": "2026-12-01T14:00:00Z", "source": "/natverk/referrals", "sequence": "1"}
    record = cloud_event("se.natverk.referral.accepted.v1", data, "R-1.accepted", **when)
    async with in_process(app, "http://network-support") as client:
        await fed_by_hand(consumer, REFERRALS)(encode(record))
        dated = await client.post(
            f"{PLAN}/danger-statements", headers=TEAM, json=STATEMENT | {"on": "2026-12-02"}
        )
        assert dated.status_code == 200, dated.text
        assert (await client.get(PLAN, headers=TEAM)).json()["follow_up_due"] == "2027-06-01"
