"""A referral is for a child or young person 0-20 years old today (Europe/Stockholm)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.support.pins import pin_born
from tests.support.tokens import bearer

CASE_WORKER = bearer("0380", ("case_worker",))
TODAY = datetime.now(ZoneInfo("Europe/Stockholm")).date()


def years_before(day: date, years: int) -> date:
    return (
        day.replace(year=day.year - years)
        if (day.month, day.day) != (2, 29)
        else date(day.year - years, 3, 1)
    )


async def refer(client: httpx.AsyncClient, pin: str) -> httpx.Response:
    body = {
        "case_id": f"0380-{uuid.uuid4().hex[:6]}",
        "target": "network_centre",
        "child": {"pin": pin, "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-12",
        "reason": "network strengthening",
    }
    return await client.post("/api/v1/referrals", json=body, headers=CASE_WORKER)


@pytest.mark.parametrize(
    ("born", "why"),
    [
        (date(1960, 1, 1), "21 or older today"),
        (years_before(TODAY, 21), "21 or older today"),
        (TODAY + timedelta(days=1), "not yet born"),
    ],
    ids=["born-1960", "21-today", "born-tomorrow"],
)
async def test_a_referral_of_someone_not_0_to_20_today_is_422_naming_the_field_without_the_number(
    referrals, born: date, why: str
) -> None:
    pin = pin_born(born)
    response = await refer(referrals, pin)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert [d["field"] for d in error["details"]] == ["body.child.pin"]
    assert why in error["details"][0]["message"]
    assert pin not in response.text and pin[2:] not in response.text and pin[:8] not in response.text


async def test_a_young_person_who_turns_21_tomorrow_is_referred(referrals) -> None:
    response = await refer(referrals, pin_born(years_before(TODAY + timedelta(days=1), 21)))
    assert response.status_code == 201


async def test_a_child_born_today_with_a_coordination_number_is_referred(referrals) -> None:
    response = await refer(referrals, pin_born(TODAY, coordination=True))
    assert response.status_code == 201
