"""network_support's "today" is the Swedish calendar day, whatever zone its host runs in (ADR 0025:
due is a Swedish day).  A container on UTC, or a host anywhere else, must neither refuse a fact
dated today in Sweden nor take one dated tomorrow."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.kit.inbound import parse_record
from services.network_support.app import create_app
from services.network_support.inbound import consumers
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.events import encode, placement_started
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
SWEDEN = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def host_on_another_day(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone set to one whose date differs from Sweden's now: UTC+14 and
    UTC-12 are 26 hours apart, so at any moment one of them is on another day."""
    swedish_today = datetime.now(SWEDEN).date()
    zone = next(z for z in ("Etc/GMT-14", "Etc/GMT+12") if datetime.now(ZoneInfo(z)).date() != swedish_today)
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
async def network_support(tmp_path: Path, host_on_another_day: None) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)  # its own clock, as in production
    async with in_process(app, "http://network-support") as client:
        yield client


async def test_a_school_start_dated_today_in_sweden_is_taken_and_one_dated_tomorrow_is_refused(
    network_support,
) -> None:
    today = datetime.now(UTC).astimezone(SWEDEN).date()
    started = placement_started("C-1", "P-1", school_change=True, start_date=str(today - timedelta(days=3)))
    runtime_app = network_support.app.state.runtime.app  # type: ignore[attr-defined]
    handlers = {spec.topic: spec.handlers for spec in consumers(runtime_app)}[PLACEMENTS]
    handlers[started["type"]](parse_record(encode(started)))
    url = "/api/v1/placements/P-1/school-start"
    tomorrow = await network_support.post(url, headers=WORKER, json={"on": str(today + timedelta(days=1))})
    assert (tomorrow.status_code, tomorrow.json()["error"]["code"]) == (422, "dated_after_today"), (
        tomorrow.text
    )
    taken = await network_support.post(url, headers=WORKER, json={"on": str(today)})
    assert taken.status_code == 200, taken.text
