"""Every case id in a path is the contract's: one shaped like a personal identity number is refused
with 422 before anything is stored, and its value is not echoed."""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_settings
from tests.support.events import valid_pin
from tests.support.tokens import bearer

EVERYONE = bearer("0380", ("case_worker", "coordinator", "network_centre", "safety_team", "auditor", "ops"))
CASE_PATHS = [
    ("case_store", "/api/v1/cases/{}/timeline"),
    ("case_store", "/api/v1/cases/{}/access-log"),
    ("scheduling", "/api/v1/cases/{}/calendar"),
    ("network_support", "/api/v1/cases/{}/support-plan"),
    ("network_support", "/api/v1/cases/{}/safety-plan"),
    ("network_support", "/api/v1/cases/{}/network-map"),
    ("network_support", "/api/v1/cases/{}/home-return"),
]


@pytest.mark.parametrize(("service", "path"), CASE_PATHS)
async def test_a_case_id_shaped_like_a_personal_identity_number_is_refused_and_nothing_stored(
    tmp_path: Path, service: str, path: str
) -> None:
    app = importlib.import_module(f"services.{service}.app").create_app(
        make_settings(tmp_path), start_runtime=False
    )
    pin = valid_pin(21)
    store = app.state.runtime.app
    before = store.max_notification_id()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client:
        response = await client.get(path.format(pin), headers=EVERYONE)
    after = store.max_notification_id()
    store.close()
    assert response.status_code == 422
    assert "personal identity number" in response.text
    assert pin not in response.text
    assert after == before
