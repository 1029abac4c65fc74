"""Safety planning examined (DOMAIN.md, the safety team workflow: "whenever there is concern for a
child and placement is being considered, the option of safety planning must always be examined";
ADR 0036).  A referral to the Network Centre saying placement is near puts the examination on
referrals' worklist, the safety team's (the case worker's where there is none), due in 7 days; a
referral to the safety team, or the outcome recorded, ends it, and the outcome is published for the
case timeline.  Over HTTP with a JWT; placement records through the kit's real tracking consumer."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.kit.worklist import local_today
from services.referrals.app import create_app
from services.referrals.inbound import placement_consumer
from tests.component.conftest import in_process
from tests.component.test_referrals_http import PIN, create
from tests.component.test_referrals_refusals_http import access_records
from tests.conftest import make_settings
from tests.support.events import encode, placement_started
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKLIST = "/api/v1/worklist"
EXAMINATION = "safety_planning_examination"
EXAMINED = "se.natverk.referral.safety_planning_examined.v1"
CASE = "0380-SP1"
SAFETY_TEAM = bearer("0380", ("safety_team",), subject="st-7")
COORDINATOR = bearer("0380", ("coordinator",), subject="co-1")
CASE_WORKER = bearer("0380", ("case_worker",), subject="cw-12")


def examine_path(case_id: str = CASE) -> str:
    return f"/api/v1/cases/{case_id}/safety-planning-examination"


async def examine(
    client: httpx.AsyncClient, outcome: Any = "not_suitable", headers: dict = SAFETY_TEAM, case_id: str = CASE
) -> httpx.Response:
    return await client.post(examine_path(case_id), json={"outcome": outcome}, headers=headers)


async def examinations(
    client: httpx.AsyncClient, headers: dict = COORDINATOR, **params: object
) -> list[dict]:
    response = await client.get(WORKLIST, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return [item for item in response.json()["items"] if item["obligation"] == EXAMINATION]


def store(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


@pytest.fixture
async def referrals(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, with ``feed`` handing its placements consumer one record (the real tracking
    consumer, one unit of work)."""
    app = create_app(make_settings(tmp_path), start_runtime=False)
    consumer, _ = in_process_consumer(
        store_of_app := app.state.runtime.app, placement_consumer(store_of_app), "p"
    )
    offsets = itertools.count(1)

    async def feed(event: dict[str, Any]) -> None:
        value = encode(event)
        records = (FakeRecord(value, offset=next(offsets), topic=PLACEMENTS),)
        await consumer.handle([value], FakeMessage(records))  # type: ignore[arg-type]

    async with in_process(app, "http://referrals") as client:
        client.feed = feed  # type: ignore[attr-defined]
        yield client


async def test_a_referral_saying_placement_is_near_asks_the_safety_team_to_examine_safety_planning_within_7_days(
    referrals,
) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    response = await referrals.get(WORKLIST, headers=SAFETY_TEAM, params={"role": "safety_team"})
    assert response.json()["items"] == [
        {
            "case_id": CASE,
            "obligation": EXAMINATION,
            "due": (local_today() + timedelta(days=7)).isoformat(),
            "overdue": False,
            "responsible_role": "safety_team",
            "assignee": None,
            "action_path": examine_path(),
        }
    ]
    assert PIN not in response.text


async def test_the_coordinator_who_leads_the_safety_team_sees_its_examination_and_case_workers_do_not(
    referrals,
) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    assert [i["case_id"] for i in await examinations(referrals, role="coordinator")] == [CASE]
    assert await examinations(referrals, role="case_worker") == []


async def test_a_referral_about_a_child_already_placed_asks_for_no_examination(referrals) -> None:
    await create(referrals, case_id=CASE, child_status="placed")
    assert await examinations(referrals) == []


async def test_a_referral_made_at_placement_from_a_placement_record_asks_for_no_examination(
    referrals,
) -> None:
    await referrals.feed(placement_started(CASE, "P-SP1"))
    assert [
        r["origin"] for r in (await referrals.get("/api/v1/referrals", headers=COORDINATOR)).json()["items"]
    ] == ["placement"]
    assert await examinations(referrals) == []


async def test_a_child_placed_before_safety_planning_was_examined_keeps_the_examination_due(
    referrals,
) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    await referrals.feed(placement_started(CASE, "P-SP1"))
    assert [i["case_id"] for i in await examinations(referrals)] == [CASE]


async def test_a_referral_to_the_safety_team_ends_the_examination_and_publishes_no_outcome(referrals) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    assert (await create(referrals, case_id=CASE, target="safety_team")).status_code == 201
    assert await examinations(referrals) == []
    assert published(referrals, EXAMINED) == []
    assert (await examine(referrals)).status_code == 409


async def test_a_case_with_an_open_safety_team_referral_is_examined_already_and_gets_no_duty(
    referrals,
) -> None:
    await create(referrals, case_id=CASE, target="safety_team")
    await create(referrals, case_id=CASE, child_status="placement_near")
    assert await examinations(referrals) == []


async def test_the_safety_team_records_the_outcome_which_ends_the_duty_and_is_published_with_who_did_it(
    referrals,
) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    response = await examine(referrals, "family_declined")
    due = local_today() + timedelta(days=7)
    assert (response.status_code, response.json()) == (
        200,
        {"case_id": CASE, "outcome": "family_declined", "due": due.isoformat()},
    )
    assert await examinations(referrals) == []
    [examined] = published(referrals, EXAMINED)
    assert (examined.case_id, examined.municipality, examined.outcome, examined.due) == (
        CASE,
        "0380",
        "family_declined",
        due,
    )
    assert published_actors(referrals, EXAMINED) == ["st-7"]


def published_actors(client: httpx.AsyncClient, event_type: str) -> list[str]:
    """The CloudEvent ``actor`` of each ``event_type`` the relay would publish, and never the pin."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    app = runtime.app
    envelopes = [
        envelope.model_dump(mode="json")
        for n in app.recorder.select_notifications(1, 10_000)
        for _, envelope in runtime.publication.cloud_events(app.mapper.to_domain_event(n), n.id)
        if envelope.type == event_type
    ]
    assert PIN not in json.dumps(envelopes)
    return [envelope["actor"] for envelope in envelopes]


async def test_recording_an_examination_when_none_is_due_is_a_409_naming_the_rule(referrals) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    assert (await examine(referrals)).status_code == 200
    again = await examine(referrals, "not_suitable")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "nothing_to_examine")
    assert len(published(referrals, EXAMINED)) == 1


@pytest.mark.parametrize(
    ("headers", "code"), [(SAFETY_TEAM, "nothing_to_examine"), (CASE_WORKER, "not_the_examiner")]
)
async def test_a_refused_examination_tells_of_its_case_so_it_is_logged_as_a_read_of_it(
    referrals, headers: dict, code: str
) -> None:
    await create(referrals, case_id=CASE, child_status="placed")
    before = len(access_records(referrals))
    refused = await examine(referrals, headers=headers)
    assert refused.json()["error"]["code"] == code
    [record] = access_records(referrals)[before:]
    assert (record.municipality, record.case_id, record.outcome) == ("0380", CASE, "granted")


async def test_another_municipalitys_case_answers_exactly_as_an_absent_one(referrals) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    vasteras = bearer("1980", ("safety_team", "case_worker", "coordinator"))
    theirs = await examine(referrals, headers=vasteras)
    absent = await examine(referrals, case_id="0380-NOBODY")
    assert (theirs.status_code, theirs.json()) == (absent.status_code, absent.json())
    assert theirs.status_code == 404
    assert [i["case_id"] for i in await examinations(referrals)] == [CASE]


@pytest.mark.parametrize(
    "body", [{"outcome": "the mother Anna said no"}, {"outcome": "not_suitable", "note": "Anna said no"}]
)
async def test_an_outcome_outside_the_closed_set_or_free_text_is_refused_and_never_echoed(
    referrals, body: dict
) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    response = await referrals.post(examine_path(), json=body, headers=SAFETY_TEAM)
    assert response.status_code == 422
    assert "Anna" not in response.text
    assert [i["case_id"] for i in await examinations(referrals)] == [CASE]


async def test_where_there_is_a_safety_team_a_case_worker_does_not_record_its_examination(referrals) -> None:
    await create(referrals, case_id=CASE, child_status="placement_near")
    response = await examine(referrals, headers=CASE_WORKER)
    assert (response.status_code, response.json()["error"]["code"]) == (403, "not_the_examiner")
    assert [i["case_id"] for i in await examinations(referrals)] == [CASE]


async def test_a_later_referral_saying_placement_is_near_asks_again_after_an_examination(referrals) -> None:
    first = (await create(referrals, case_id=CASE, child_status="placement_near")).json()
    await examine(referrals, "placement_no_longer_considered")
    await referrals.post(f"/api/v1/referrals/{first['id']}/revoke", headers=COORDINATOR)
    await create(referrals, case_id=CASE, child_status="placement_near")
    assert [i["case_id"] for i in await examinations(referrals)] == [CASE]


async def test_a_second_referral_while_an_examination_is_due_keeps_the_first_deadline(referrals) -> None:
    first = (await create(referrals, case_id=CASE, child_status="placement_near")).json()
    await referrals.post(f"/api/v1/referrals/{first['id']}/revoke", headers=COORDINATOR)
    store(referrals).today = lambda: local_today() + timedelta(days=3)
    await create(referrals, case_id=CASE, child_status="placement_near")
    [duty] = await examinations(referrals)
    assert duty["due"] == (local_today() + timedelta(days=7)).isoformat()


@pytest.fixture
async def network_centre_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """Västerås with a Network Centre and no safety team."""
    monkeypatch.setenv("NATVERK_REFERRAL_TARGETS", '{"1980": ["network_centre"]}')
    async with in_process(
        create_app(make_settings(tmp_path), start_runtime=False), "http://referrals"
    ) as client:
        yield client


async def test_where_there_is_no_safety_team_the_case_worker_examines_safety_planning(
    network_centre_only,
) -> None:
    client, case_worker = network_centre_only, bearer("1980", ("case_worker",), subject="cw-3")
    await create(client, case_worker, case_id="1980-SP1", child_status="placement_near")
    [duty] = await examinations(client, case_worker, role="case_worker")
    assert (duty["case_id"], duty["responsible_role"]) == ("1980-SP1", "case_worker")
    coordinator = bearer("1980", ("coordinator", "safety_team"))
    refused = await examine(client, headers=coordinator, case_id="1980-SP1")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_the_examiner")
    recorded = await examine(client, "safety_planning_started", headers=case_worker, case_id="1980-SP1")
    assert recorded.status_code == 200
    assert await examinations(client, case_worker) == []
