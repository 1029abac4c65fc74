"""The network_support HTTP API: network map, safety plan, placement follow-up, home return, access."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from services.kit.domain.case_access import CaseAccess
from services.network_support.app import create_app
from tests.component.conftest import service_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
GAVLE_WORKER = bearer("2180", ("case_worker",))
PARENT_SUPPORT_DAYS = "natverk_parent_support_offered_total"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: date(2026, 12, 31)  # the readings below have happened by then
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://network-support"
    ) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def start_placement(
    client: httpx.AsyncClient,
    placement_id: str = "P-1",
    school_change: bool = True,
    placement_type: str = "familjehem",
) -> None:
    service_app(client).placement_started(
        "0380", "C-1", placement_id, placement_type, date(2026, 11, 2), school_change
    )


async def test_network_members_are_added_changed_removed_and_named_only_here(network_support) -> None:
    added = await network_support.post(
        "/api/v1/cases/C-1/network-map/members",
        headers=WORKER,
        json={
            "name": "Kept Here",
            "relation": "grandparent",
            "roles": ["possible_network_home"],
            "contact_consent": True,
        },
    )
    assert added.status_code == 201
    member = added.json()["member_id"]
    changed = await network_support.put(
        f"/api/v1/cases/C-1/network-map/members/{member}",
        headers=WORKER,
        json={"relation": "grandparent", "roles": ["safety_person"], "contact_consent": False},
    )
    assert changed.status_code == 200
    shown = (await network_support.get("/api/v1/cases/C-1/network-map", headers=WORKER)).json()
    assert shown["members"] == [
        {
            "member_id": member,
            "name": "Kept Here",
            "relation": "grandparent",
            "roles": ["safety_person"],
            "contact_consent": False,
            "consents": {},
        }
    ]
    assert (
        await network_support.delete(f"/api/v1/cases/C-1/network-map/members/{member}", headers=WORKER)
    ).status_code == 200
    again = await network_support.delete(f"/api/v1/cases/C-1/network-map/members/{member}", headers=WORKER)
    assert again.status_code == 404


async def test_a_free_text_relation_is_refused_with_the_field_named(network_support) -> None:
    response = await network_support.post(
        "/api/v1/cases/C-1/network-map/members",
        headers=WORKER,
        json={"name": "X", "relation": "best friend of anna", "roles": [], "contact_consent": True},
    )
    assert response.status_code == 422
    assert "relation" in response.text


async def test_a_safety_plan_rule_must_name_members_of_the_network(network_support) -> None:
    await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    unknown = await network_support.post(
        "/api/v1/cases/C-1/safety-plan/rules",
        headers=WORKER,
        json={"text": "Grandma collects from school", "responsible_member_ids": [7]},
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "responsible_not_on_map"
    assert "7" not in unknown.json()["error"]["message"]  # the field is named, not the id sent
    member = (
        await network_support.post(
            "/api/v1/cases/C-1/network-map/members",
            headers=WORKER,
            json={
                "name": "G",
                "relation": "grandparent",
                "roles": ["safety_person"],
                "contact_consent": True,
            },
        )
    ).json()["member_id"]
    rule = await network_support.post(
        "/api/v1/cases/C-1/safety-plan/rules",
        headers=WORKER,
        json={"text": "Grandma collects from school", "responsible_member_ids": [member]},
    )
    assert rule.status_code == 200
    assert rule.json()["rules"][0]["responsible_member_ids"] == [member]


async def draft_safety_plan_on(client: httpx.AsyncClient, day: date) -> None:
    """Draft case C-1's safety plan on ``day`` (its facts are dated from then on), today again after."""
    app = service_app(client)
    today, app.today = app.today, lambda: day
    assert (await client.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)).status_code == 201
    app.today = today


async def test_safety_scales_are_a_dated_series_and_out_of_range_values_are_refused(network_support) -> None:
    await draft_safety_plan_on(network_support, date(2026, 11, 2))
    plan = (
        await network_support.post(
            "/api/v1/cases/C-1/safety-plan/danger-statements",
            headers=WORKER,
            json={"statement": "danger", "safety_goal": "goal", "scale": 2, "on": "2026-11-02"},
        )
    ).json()
    statement = plan["danger_statements"][0]["statement_id"]
    service_app(network_support).network_meeting_booked("0380", "C-1", "M-1", date(2026, 12, 1))
    from_meeting = await network_support.post(
        "/api/v1/cases/C-1/safety-plan/scales",
        headers=WORKER,
        json={"statement_id": statement, "value": 6, "on": "2026-12-01", "meeting_id": "M-1"},
    )
    assert from_meeting.status_code == 200, from_meeting.text
    too_high = await network_support.post(
        "/api/v1/cases/C-1/safety-plan/scales",
        headers=WORKER,
        json={"statement_id": statement, "value": 11, "on": "2026-12-02"},
    )
    assert too_high.status_code == 422
    shown = (await network_support.get("/api/v1/cases/C-1/safety-plan", headers=WORKER)).json()
    assert shown["danger_statements"][0]["scales"] == [["2026-11-02", 2], ["2026-12-01", 6]]


async def test_a_scale_reading_must_come_from_a_network_meeting_of_the_case_on_its_day(
    network_support,
) -> None:
    await draft_safety_plan_on(network_support, date(2026, 11, 2))
    plan = (
        await network_support.post(
            "/api/v1/cases/C-1/safety-plan/danger-statements",
            headers=WORKER,
            json={"statement": "danger", "safety_goal": "goal", "scale": 2, "on": "2026-11-02"},
        )
    ).json()
    statement = plan["danger_statements"][0]["statement_id"]
    app = service_app(network_support)
    app.network_meeting_booked("0380", "C-1", "M-moved", date(2026, 12, 1))
    app.network_meeting_moved("0380", "C-1", "M-moved", date(2026, 12, 8))
    app.network_meeting_booked("0380", "C-1", "M-off", date(2026, 12, 15))
    app.network_meeting_cancelled("0380", "C-1", "M-off")
    app.network_meeting_booked("0380", "C-2", "M-other-case", date(2026, 12, 1))

    async def reading(on: str, meeting_id: str) -> httpx.Response:
        return await network_support.post(
            "/api/v1/cases/C-1/safety-plan/scales",
            headers=WORKER,
            json={"statement_id": statement, "value": 5, "on": on, "meeting_id": meeting_id},
        )

    refused = {
        "unknown": await reading("2026-12-01", "M-never"),
        "another case's": await reading("2026-12-01", "M-other-case"),
        "cancelled": await reading("2026-12-15", "M-off"),
        "its old day": await reading("2026-12-01", "M-moved"),
    }
    assert {what: (r.status_code, r.json()["error"]["code"]) for what, r in refused.items()} == {
        "unknown": (422, "unknown_meeting"),
        "another case's": (422, "unknown_meeting"),
        "cancelled": (422, "meeting_cancelled"),
        "its old day": (422, "not_on_meeting_day"),
    }
    assert "2026-12-08" in refused["its old day"].json()["error"]["message"]
    accepted = await reading("2026-12-08", "M-moved")
    assert accepted.status_code == 200
    assert accepted.json()["danger_statements"][0]["scales"] == [["2026-11-02", 2], ["2026-12-08", 5]]


async def test_parent_support_is_counted_once_against_the_seven_day_sla(network_support) -> None:
    start_placement(network_support)
    for on in ("2026-11-05", "2026-11-06"):
        response = await network_support.post(
            "/api/v1/placements/P-1/parent-support/sessions",
            headers=WORKER,
            json={"on": on, "mode": "phone", "parent": "mother"},
        )
        assert response.status_code == 200
    placement = response.json()
    assert placement["parent_support_offered_on"] == "2026-11-05"
    assert placement["parent_support_sessions"] == 2
    metrics = (await network_support.get("/metrics")).text
    assert f'{PARENT_SUPPORT_DAYS}{{municipality="0380",sla="met"}} 1.0' in metrics


async def test_school_start_is_recorded_in_days_from_placement_and_refused_without_a_school_change(
    network_support,
) -> None:
    start_placement(network_support)
    started = await network_support.post(
        "/api/v1/placements/P-1/school-start", headers=WORKER, json={"on": "2026-11-06"}
    )
    assert started.json()["school_started_on"] == "2026-11-06"
    metrics = (await network_support.get("/metrics")).text
    assert 'days_from_placement_to_school_start_bucket{le="5.0",municipality="0380"} 1.0' in metrics
    start_placement(network_support, "P-2", school_change=False)
    refused = await network_support.post(
        "/api/v1/placements/P-2/school-start", headers=WORKER, json={"on": "2026-11-06"}
    )
    assert refused.status_code == 409


async def test_follow_up_dated_before_the_placement_is_refused_with_422(network_support) -> None:
    start_placement(network_support)
    response = await network_support.post(
        "/api/v1/placements/P-1/examinations", headers=WORKER, json={"kind": "health", "on": "2026-10-01"}
    )
    assert response.status_code == 422
    assert "before the placement started" in response.json()["error"]["message"]


async def test_passed_deadlines_are_noted_once_with_metric(network_support) -> None:
    start_placement(network_support)
    app = service_app(network_support)
    app.today = lambda: date(2026, 11, 10)
    assert app.check_deadlines() == 2  # parent support and school start, both due 2026-11-09
    assert app.check_deadlines() == 0
    metrics = (await network_support.get("/metrics")).text
    assert 'natverk_follow_up_deadlines_passed_total{clock="school_start",municipality="0380"} 1.0' in metrics


async def test_network_placement_inquiry_takes_candidates_from_the_map_and_concludes_once(
    network_support,
) -> None:
    start_placement(network_support)
    await network_support.post(
        "/api/v1/cases/C-1/network-map/members",
        headers=WORKER,
        json={
            "name": "Aunt",
            "relation": "aunt",
            "roles": ["possible_network_home"],
            "contact_consent": True,
        },
    )
    await network_support.post(
        "/api/v1/cases/C-1/network-map/members/1/consents",
        headers=WORKER,
        json={"scope": "network_placement", "on": "2026-11-03"},
    )
    candidates = await network_support.post("/api/v1/placements/P-1/inquiry/candidates", headers=WORKER)
    assert candidates.json() == {"candidates": [1]}
    outcome = {"outcome": "network_home_found", "reason": "The aunt can take the child"}
    assert (
        await network_support.post("/api/v1/placements/P-1/inquiry/outcome", headers=WORKER, json=outcome)
    ).status_code == 200
    assert (
        await network_support.post("/api/v1/placements/P-1/inquiry/outcome", headers=WORKER, json=outcome)
    ).status_code == 409


async def test_a_child_already_in_a_network_home_gets_no_inquiry(network_support) -> None:
    start_placement(network_support, placement_type="natverkshem")
    placement = (await network_support.get("/api/v1/placements/P-1", headers=WORKER)).json()
    assert placement["inquiry"] is None


async def test_home_return_phases_move_forward_only(network_support) -> None:
    for phase, on in (("preparation", "2026-11-01"), ("trial", "2026-11-15")):
        response = await network_support.post(
            "/api/v1/cases/C-1/home-return", headers=WORKER, json={"phase": phase, "on": on}
        )
        assert response.status_code == 200
    backwards = await network_support.post(
        "/api/v1/cases/C-1/home-return", headers=WORKER, json={"phase": "preparation", "on": "2026-11-20"}
    )
    assert backwards.status_code == 409
    assert (await network_support.get("/api/v1/cases/C-1/home-return", headers=WORKER)).json()[
        "phase"
    ] == "trial"


async def test_another_municipality_sees_nothing_and_its_attempt_is_logged(network_support) -> None:
    await network_support.post(
        "/api/v1/cases/C-1/network-map/members",
        headers=WORKER,
        json={"name": "G", "relation": "grandparent", "roles": [], "contact_consent": True},
    )
    response = await network_support.get("/api/v1/cases/C-1/network-map", headers=GAVLE_WORKER)
    assert response.status_code == 404
    assert "Kept" not in response.text and "grandparent" not in response.text
    app = service_app(network_support)
    stored = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]
    accesses = [e for e in stored if isinstance(e, CaseAccess.Recorded)]
    assert [(a.case_id, a.actor_municipality, a.outcome) for a in accesses] == [
        ("C-1", "0380", "granted"),  # the write's own answer carried the case
        ("C-1", "2180", "not_found"),
    ]


async def test_writes_need_a_staff_role(network_support) -> None:
    auditor = bearer("0380", ("auditor",))
    response = await network_support.post("/api/v1/cases/C-1/safety-plan", headers=auditor)
    assert response.status_code == 403


@pytest.mark.parametrize("kind", ["network_meeting", "visitation"])
def test_only_network_meetings_from_scheduling_become_meetings_a_reading_can_name(
    network_support, kind: str
) -> None:
    import json

    from contracts.topics import SCHEDULING
    from services.kit.inbound import parse_record
    from services.network_support.domain.network_meetings import NetworkMeetings
    from services.network_support.inbound import consumers

    booked = parse_record(
        json.dumps(
            {
                "specversion": "1.0",
                "id": "m.1",
                "source": "/natverk/scheduling",
                "type": "se.natverk.meeting.booked.v1",
                "time": "2026-11-23T08:00:00+00:00",
                "subject": "C-1",
                "datacontenttype": "application/json",
                "sequence": "1",
                "data": {
                    "meeting_id": "M-1",
                    "case_id": "C-1",
                    "municipality": "0380",
                    "kind": kind,
                    "start": "2026-12-01T09:00:00",
                    "end": "2026-12-01T10:00:00",
                    "staff_ids": ["0380-coordinator-1"],
                },
            }
        ).encode()
    )
    app = service_app(network_support)
    handlers = {spec.topic: spec.handlers for spec in consumers(app)}[SCHEDULING]
    handlers["se.natverk.meeting.booked.v1"](booked)
    meetings_id = NetworkMeetings.id_for("0380", "C-1")
    if kind == "network_meeting":
        assert app.repository.get(meetings_id).meetings == {
            "M-1": {"on": date(2026, 12, 1), "cancelled": False}
        }
    else:
        assert not app.exists(meetings_id)
