"""Who answers for the Network Centre's and the safety team's duties on network_support's worklist
where a municipality has no such team: its case worker.  Which teams a municipality has is
referrals' own setting, ``NATVERK_REFERRAL_TARGETS`` (by default only Uppsala, 0380, has them).
Placement records go through the kit's real tracking consumer; the worklist is read over HTTP with
a JWT."""

from __future__ import annotations

import json
from contextlib import AbstractAsyncContextManager
from datetime import date
from pathlib import Path

import httpx
import pytest

from services.network_support.app import create_app
from tests.component.conftest import network_support_fed
from tests.conftest import make_settings
from tests.support.events import placement_started
from tests.support.tokens import bearer

TODAY = date(2026, 12, 3)
TEAM_DUTIES = {"parent_support", "network_placement_inquiry"}
TEAMS_IN_UPPSALA_AND_VASTERAS = {"0380": ["network_centre", "safety_team"], "1980": ["network_centre"]}


def network_support(tmp_path: Path) -> AbstractAsyncContextManager[httpx.AsyncClient]:
    """The service, today 2026-12-03, with ``feed`` handing its placements consumer a CloudEvent."""
    return network_support_fed(tmp_path, date(2026, 12, 3))


async def placed(client: httpx.AsyncClient, municipality: str, case_worker_id: str = "hl-7") -> None:
    """A jourhem placement (so a network-placement inquiry opens), naming its case worker."""
    await client.feed(  # type: ignore[attr-defined]
        placement_started(
            f"{municipality}-C", f"{municipality}-P", municipality=municipality, case_worker_id=case_worker_id
        )
    )


async def duties(
    client: httpx.AsyncClient, municipality: str, **params: str
) -> dict[str, tuple[str, str | None]]:
    """The worklist a case worker of ``municipality`` sees: obligation -> (role, assignee)."""
    answer = await client.get("/api/v1/worklist", headers=bearer(municipality), params=params)
    assert answer.status_code == 200, answer.text
    return {i["obligation"]: (i["responsible_role"], i["assignee"]) for i in answer.json()["items"]}


@pytest.mark.parametrize("municipality", ["1980", "2180"])
async def test_a_placement_where_there_is_no_network_centre_puts_its_team_duties_on_the_case_workers_worklist(
    tmp_path: Path, municipality: str
) -> None:
    async with network_support(tmp_path) as client:
        await placed(client, municipality)
        mine = await duties(client, municipality, role="case_worker")
        nobodys = await duties(client, municipality, role="network_centre")
    assert {d: mine.get(d) for d in TEAM_DUTIES} == {
        "parent_support": ("case_worker", "hl-7"),
        "network_placement_inquiry": ("case_worker", None),
    }
    assert nobodys == {}


async def test_a_municipality_configured_with_a_network_centre_keeps_its_duties_for_it_and_one_without_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NATVERK_REFERRAL_TARGETS", json.dumps(TEAMS_IN_UPPSALA_AND_VASTERAS))
    async with network_support(tmp_path) as client:
        await placed(client, "1980")
        await placed(client, "2180")
        vasteras = await duties(client, "1980")
        gavle = await duties(client, "2180")
    assert {d: vasteras[d][0] for d in TEAM_DUTIES} == dict.fromkeys(TEAM_DUTIES, "network_centre")
    assert {d: gavle[d][0] for d in TEAM_DUTIES} == dict.fromkeys(TEAM_DUTIES, "case_worker")


async def test_a_safety_plan_where_there_is_no_safety_team_is_followed_up_by_the_case_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NATVERK_REFERRAL_TARGETS", json.dumps(TEAMS_IN_UPPSALA_AND_VASTERAS))
    async with network_support(tmp_path) as client:
        drafted = await client.post("/api/v1/cases/1980-C/safety-plan", headers=bearer("1980"))
        assert drafted.status_code == 201, drafted.text
        vasteras = await duties(client, "1980")
    assert vasteras == {"safety_plan_follow_up": ("case_worker", None)}


def test_an_invalid_referral_targets_setting_stops_network_support_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NATVERK_REFERRAL_TARGETS", '{"1980": ["a_team_nobody_has"]}')
    with pytest.raises(SystemExit) as stopped:
        create_app(make_settings(tmp_path), start_runtime=False)
    assert stopped.value.code == 2
    assert "NATVERK_REFERRAL_TARGETS" in capsys.readouterr().err
