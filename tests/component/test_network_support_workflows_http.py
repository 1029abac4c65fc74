"""network_support's workflows over HTTP (issue 16): home-return processes, support plans by
referral, consent, rules that name members, facts dated after today, safety-plan follow-ups."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from services.network_support.app import create_app
from services.network_support.use_cases.from_events import PlacementFacts
from tests.component.conftest import service_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
GAVLE = bearer("2180", ("case_worker",))
TODAY = date(2026, 12, 3)
MEMBERS = "/api/v1/cases/C-1/network-map/members"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: TODAY
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://network-support"
    ) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def placement(placement_id: str, started_on: date) -> PlacementFacts:
    return PlacementFacts("0380", "C-1", placement_id, "familjehem", started_on)


async def add_member(client: httpx.AsyncClient, name: str = "Aunt", roles: tuple[str, ...] = ()) -> int:
    body = {"name": name, "relation": "aunt", "roles": list(roles), "contact_consent": True}
    return (await client.post(MEMBERS, headers=WORKER, json=body)).json()["member_id"]


async def test_after_a_return_home_and_a_re_placement_a_second_process_is_opened_and_listed(
    network_support,
) -> None:
    app = service_app(network_support)
    first = placement("P-1", date(2026, 1, 10))
    app.placement_started(*first, school_change=False)
    app.placement_ended(first, "home_return", date(2026, 4, 1))
    second = placement("P-2", date(2026, 6, 1))
    app.placement_started(*second, school_change=False)  # placed again: the first follow-up broken off
    opened = await network_support.post(
        "/api/v1/cases/C-1/home-returns", headers=WORKER, json={"phase": "preparation", "on": "2026-09-01"}
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["number"] == 2
    app.placement_ended(second, "home_return", date(2026, 11, 1))
    app.placement_ended(second, "home_return", date(2026, 11, 1))  # redelivered: no third process
    listed = (await network_support.get("/api/v1/cases/C-1/home-returns", headers=WORKER)).json()
    assert [(p["number"], p["phase"], p["retroactive"]) for p in listed["processes"]] == [
        (1, "broken_off", True),
        (2, "follow_up", False),
    ]
    latest = (await network_support.get("/api/v1/cases/C-1/home-return", headers=WORKER)).json()
    assert latest["number"] == 2


async def test_a_second_home_return_end_after_the_first_follow_up_was_completed_opens_a_new_one(
    network_support,
) -> None:
    app = service_app(network_support)
    app.placement_ended(placement("P-1", date(2026, 1, 10)), "home_return", date(2026, 4, 1))
    done = {"phase": "completed", "on": "2026-05-15"}
    assert (await network_support.post("/api/v1/cases/C-1/home-return", headers=WORKER, json=done)).is_success
    app.placement_ended(placement("P-2", date(2026, 6, 1)), "home_return", date(2026, 11, 1))
    listed = (await network_support.get("/api/v1/cases/C-1/home-returns", headers=WORKER)).json()
    assert [(p["number"], p["phase"]) for p in listed["processes"]] == [(1, "completed"), (2, "follow_up")]


async def test_a_new_process_is_refused_while_one_is_open(network_support) -> None:
    move = {"phase": "trial", "on": "2026-11-01"}
    assert (
        await network_support.post("/api/v1/cases/C-1/home-return", headers=WORKER, json=move)
    ).status_code == 200
    refused = await network_support.post("/api/v1/cases/C-1/home-returns", headers=WORKER, json=move)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "process_already_open")


async def test_a_broken_off_process_needs_a_reason_and_then_a_new_one_can_be_opened(network_support) -> None:
    url = "/api/v1/cases/C-1/home-return"
    await network_support.post(url, headers=WORKER, json={"phase": "trial", "on": "2026-11-01"})
    no_reason = await network_support.post(
        url, headers=WORKER, json={"phase": "broken_off", "on": "2026-11-10"}
    )
    assert (no_reason.status_code, no_reason.json()["error"]["code"]) == (422, "reason_required")
    broken = await network_support.post(
        url, headers=WORKER, json={"phase": "broken_off", "on": "2026-11-10", "reason": "Not safe yet"}
    )
    assert (broken.json()["outcome"], broken.json()["reason"]) == ("broken_off", "Not safe yet")
    again = await network_support.post(
        "/api/v1/cases/C-1/home-returns", headers=WORKER, json={"phase": "preparation", "on": "2026-11-20"}
    )
    assert again.status_code == 201 and again.json()["number"] == 2


async def test_each_referral_has_its_own_support_plan_addressed_by_the_referral(network_support) -> None:
    app = service_app(network_support)
    app.referral_accepted("R-1", "C-1", "0380", "network_centre")
    app.referral_accepted("R-2", "C-1", "0380", "network_centre")
    goal = await network_support.post(
        "/api/v1/referrals/R-1/support-plan/goals", headers=WORKER, json={"goal": "Visits every week"}
    )
    assert goal.status_code == 200 and goal.json()["referral_id"] == "R-1"
    second = (await network_support.get("/api/v1/referrals/R-2/support-plan", headers=WORKER)).json()
    assert second["goals"] == []
    by_case = (await network_support.get("/api/v1/cases/C-1/support-plan", headers=WORKER)).json()
    assert by_case["referral_id"] == "R-2"  # the latest open plan


async def test_the_case_address_names_the_latest_open_plan_after_a_referral_is_revoked(
    network_support,
) -> None:
    app = service_app(network_support)
    app.referral_accepted("R-1", "C-1", "0380", "network_centre")
    app.referral_accepted("R-2", "C-1", "0380", "network_centre")
    app.referral_ended("R-2", "0380", "referral_revoked")
    by_case = (await network_support.get("/api/v1/cases/C-1/support-plan", headers=WORKER)).json()
    assert by_case["referral_id"] == "R-1"
    revoked = (await network_support.get("/api/v1/referrals/R-2/support-plan", headers=WORKER)).json()
    assert revoked["open"] is False


async def test_another_municipalitys_referral_plan_answers_as_absent(network_support) -> None:
    service_app(network_support).referral_accepted("R-1", "C-1", "0380", "network_centre")
    response = await network_support.get("/api/v1/referrals/R-1/support-plan", headers=GAVLE)
    assert response.status_code == 404


async def test_consent_is_recorded_with_scope_and_date_and_withdrawn(network_support) -> None:
    member = await add_member(network_support)
    given = await network_support.post(
        f"{MEMBERS}/{member}/consents",
        headers=WORKER,
        json={"scope": "sharing_information", "on": "2026-11-30"},
    )
    assert given.json()["members"][0]["consents"] == {"sharing_information": "2026-11-30"}
    withdrawn = await network_support.post(
        f"{MEMBERS}/{member}/consents/sharing_information/withdrawal",
        headers=WORKER,
        json={"on": "2026-12-02"},
    )
    assert withdrawn.json()["members"][0]["consents"] == {}


async def test_a_network_home_candidate_without_consent_is_refused_naming_the_member_id(
    network_support,
) -> None:
    service_app(network_support).placement_started(
        "0380", "C-1", "P-1", "familjehem", date(2026, 11, 2), False
    )
    member = await add_member(network_support, "Secret Aunt", ("possible_network_home",))
    refused = await network_support.post("/api/v1/placements/P-1/inquiry/candidates", headers=WORKER)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "consent_missing")
    assert str(member) in refused.json()["error"]["message"] and "Secret" not in refused.text


async def test_a_member_named_by_a_safety_rule_cannot_be_removed_until_the_rule_is_revised(
    network_support,
) -> None:
    grandma, uncle = await add_member(network_support, "G"), await add_member(network_support, "U")
    await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    rule = {"text": "Grandma collects from school", "responsible_member_ids": [grandma]}
    await network_support.post("/api/v1/cases/C-1/safety-plan/rules", headers=WORKER, json=rule)
    refused = await network_support.delete(f"{MEMBERS}/{grandma}", headers=WORKER)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "member_named_by_rule")
    assert "rules 1" in refused.json()["error"]["message"]
    revised = {"text": "The uncle collects from school", "responsible_member_ids": [uncle]}
    assert (
        await network_support.put("/api/v1/cases/C-1/safety-plan/rules/1", headers=WORKER, json=revised)
    ).status_code == 200
    assert (await network_support.delete(f"{MEMBERS}/{grandma}", headers=WORKER)).status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/placements/P-1/examinations", {"kind": "health", "on": "2030-01-01"}),
        ("/api/v1/placements/P-1/school-start", {"on": "2030-01-01"}),
        ("/api/v1/placements/P-1/parent-support/offers", {"on": "2030-01-01"}),
        (
            "/api/v1/placements/P-1/parent-support/sessions",
            {"on": "2030-01-01", "mode": "phone", "parent": "mother"},
        ),
        ("/api/v1/cases/C-1/safety-plan/follow-ups", {"on": "2030-01-01"}),
        ("/api/v1/cases/C-1/safety-plan/scales", {"statement_id": 1, "value": 5, "on": "2030-01-01"}),
        ("/api/v1/cases/C-1/network-map/members/1/consents", {"scope": "contact", "on": "2030-01-01"}),
    ],
)
async def test_a_fact_dated_after_today_is_refused_naming_the_field(
    network_support, path: str, body: dict
) -> None:
    service_app(network_support).placement_started(
        "0380", "C-1", "P-1", "familjehem", date(2026, 11, 2), True
    )
    await add_member(network_support)
    await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    await network_support.post(
        "/api/v1/cases/C-1/safety-plan/danger-statements",
        headers=WORKER,
        json={"statement": "danger", "safety_goal": "goal", "scale": 2, "on": "2026-12-03"},
    )
    refused = await network_support.post(path, headers=WORKER, json=body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "dated_after_today")
    assert "on" in refused.json()["error"]["message"] and "2030" not in refused.text


async def test_an_overdue_safety_follow_up_is_noted_once_and_counted_by_municipality(network_support) -> None:
    app = service_app(network_support)
    app.today = lambda: date(2026, 1, 5)
    await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    app.today = lambda: date(2026, 7, 10)
    assert app.check_safety_follow_ups() == 1
    assert app.check_safety_follow_ups() == 0
    metrics = (await network_support.get("/metrics")).text
    assert 'natverk_safety_plan_follow_ups_overdue_total{municipality="0380"} 1.0' in metrics


async def test_an_ended_placements_open_clocks_close_as_placement_ended_and_are_never_missed(
    network_support,
) -> None:
    app = service_app(network_support)
    started = placement("P-1", date(2026, 11, 2))
    app.placement_started(*started, school_change=True)
    app.placement_ended(started, "breakdown", date(2026, 11, 4))
    app.today = lambda: date(2026, 12, 31)
    assert app.check_deadlines() == 0
    shown = (await network_support.get("/api/v1/placements/P-1", headers=WORKER)).json()
    assert shown["due"] == {} and shown["deadlines_passed"] == []
    assert shown["closed"]["school_start"] == "placement_ended"
