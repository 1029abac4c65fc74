"""Referral targets per municipality, and only the receiving team decides (over HTTP with a JWT)."""

from __future__ import annotations

import httpx
import pytest

from services.referrals.app import create_app
from tests.component.conftest import in_process
from tests.component.test_referrals_http import CASE_WORKER, COORDINATOR, create
from tests.conftest import make_settings
from tests.support.tokens import bearer

NETWORK_CENTRE = bearer("0380", ("network_centre",), subject="nc-1")
SAFETY_TEAM = bearer("0380", ("safety_team",), subject="st-1")
RESPONSIBLE = bearer("0380", ("case_worker",), subject="cw-12")  # the referrals' case_worker_id


async def decide(client: httpx.AsyncClient, referral_id: str, verb: str, headers: dict) -> httpx.Response:
    body = {"reason": "not our target group"} if verb == "decline" else None
    return await client.post(f"/api/v1/referrals/{referral_id}/{verb}", json=body, headers=headers)


async def test_a_referral_to_a_team_the_municipality_does_not_offer_is_refused_and_echoes_nothing(
    referrals,
) -> None:
    vasteras = bearer("1980", ("case_worker",))
    response = await create(referrals, vasteras, case_id="1980-NOT-OFFERED", target="safety_team")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "target_not_offered"
    assert "1980-NOT-OFFERED" not in response.text and "safety_team" not in response.text
    listed = await referrals.get("/api/v1/referrals", headers=bearer("1980", ("coordinator",)))
    assert listed.json()["items"] == []


async def test_a_municipality_configured_with_a_network_centre_may_refer_to_it_and_to_nothing_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("NATVERK_REFERRAL_TARGETS", '{"1980": ["network_centre"]}')
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with in_process(app, "http://referrals") as client:
        vasteras = bearer("1980", ("case_worker",))
        allowed = await create(client, vasteras, case_id="1980-1", target="network_centre")
        refused = await create(client, vasteras, case_id="1980-1", target="safety_team")
        uppsala = await create(client, CASE_WORKER, case_id="0380-1", target="network_centre")
    assert (allowed.status_code, refused.status_code, uppsala.status_code) == (201, 422, 422)


def test_an_invalid_referral_targets_setting_stops_the_service_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NATVERK_REFERRAL_TARGETS", '{"0380": ["the_moon"]}')
    with pytest.raises(SystemExit) as stopped:
        create_app(make_settings(tmp_path), start_runtime=False)
    assert stopped.value.code == 2
    assert "NATVERK_REFERRAL_TARGETS" in capsys.readouterr().err


@pytest.mark.parametrize("verb", ["accept", "decline"])
async def test_the_network_centre_cannot_decide_on_a_safety_team_referral(referrals, verb: str) -> None:
    referral_id = (await create(referrals, target="safety_team")).json()["id"]
    response = await decide(referrals, referral_id, verb, NETWORK_CENTRE)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_the_receiving_team"
    assert (await referrals.get(f"/api/v1/referrals/{referral_id}", headers=COORDINATOR)).json()[
        "status"
    ] == "received"


async def test_the_safety_team_cannot_decide_on_a_network_centre_referral(referrals) -> None:
    referral_id = (await create(referrals, target="network_centre")).json()["id"]
    response = await decide(referrals, referral_id, "accept", SAFETY_TEAM)
    assert (response.status_code, response.json()["error"]["code"]) == (403, "not_the_receiving_team")


async def test_each_team_accepts_and_closes_its_own_referrals(referrals) -> None:
    for target, team in (("network_centre", NETWORK_CENTRE), ("safety_team", SAFETY_TEAM)):
        referral_id = (await create(referrals, target=target)).json()["id"]
        accepted = await decide(referrals, referral_id, "accept", team)
        closed = await decide(referrals, referral_id, "close", team)
        assert (accepted.status_code, closed.json()["status"]) == (200, "closed")


async def test_the_network_centre_cannot_close_an_accepted_safety_team_referral(referrals) -> None:
    referral_id = (await create(referrals, target="safety_team")).json()["id"]
    await decide(referrals, referral_id, "accept", SAFETY_TEAM)
    response = await decide(referrals, referral_id, "close", NETWORK_CENTRE)
    assert (response.status_code, response.json()["error"]["code"]) == (403, "not_the_receiving_team")


async def test_the_coordinator_decides_on_referrals_to_either_team(referrals) -> None:
    for target in ("network_centre", "safety_team"):
        referral_id = (await create(referrals, target=target)).json()["id"]
        assert (await decide(referrals, referral_id, "accept", COORDINATOR)).status_code == 200


async def test_another_municipalitys_team_gets_404_not_403(referrals) -> None:
    referral_id = (await create(referrals, target="safety_team")).json()["id"]
    response = await decide(referrals, referral_id, "accept", bearer("1980", ("network_centre",)))
    assert response.status_code == 404


async def test_the_responsible_case_worker_revokes_the_referral(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    response = await decide(referrals, referral_id, "revoke", RESPONSIBLE)
    assert (response.status_code, response.json()["status"]) == (200, "revoked")


async def test_another_case_worker_cannot_revoke_the_referral(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    response = await decide(
        referrals, referral_id, "revoke", bearer("0380", ("case_worker",), subject="cw-99")
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_the_referring_case_worker"


async def test_a_coordinator_revokes_any_referral(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    response = await decide(referrals, referral_id, "revoke", COORDINATOR)
    assert (response.status_code, response.json()["status"]) == (200, "revoked")


async def test_the_case_worker_who_sent_a_referral_naming_another_responsible_may_revoke_it(
    referrals,
) -> None:
    sender = bearer("0380", ("case_worker",), subject="cw-sender")
    referral_id = (await create(referrals, sender)).json()["id"]  # responsible: cw-12
    response = await decide(referrals, referral_id, "revoke", sender)
    assert (response.status_code, response.json()["status"]) == (200, "revoked")
