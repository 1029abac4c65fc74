"""Component tests: the app factory with an HTTP client, no broker started (the relay just waits)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.referrals.app import create_app as create_referrals
from services.scheduling.app import create_app as create_scheduling
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures


@asynccontextmanager
async def in_process(app: FastAPI, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``app`` in this process (``client.app`` reaches its store); closes the store."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def service_app(client: httpx.AsyncClient) -> Any:
    """The service application behind a client of ``in_process`` (its store and use cases)."""
    return client.app.state.runtime.app  # type: ignore[attr-defined]


@pytest.fixture
def every_municipality_offers_every_target(monkeypatch: pytest.MonkeyPatch) -> None:
    """Referrals to both teams in every municipality (by default only 0380 has them): for tests of
    another municipality's referrals.  Use it before ``referrals`` (``usefixtures``)."""
    everywhere = ["network_centre", "safety_team"]
    monkeypatch.setenv(
        "NATVERK_REFERRAL_TARGETS", json.dumps(dict.fromkeys(("0380", "1980", "2180"), everywhere))
    )


@pytest.fixture
async def referrals(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_referrals(make_settings(tmp_path, max_body_bytes=4096), start_runtime=False)
    async with in_process(app, "http://referrals") as client:
        yield client


@pytest.fixture
async def scheduling(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(
        before_the_fixtures(create_scheduling(make_settings(tmp_path), start_runtime=False)),
        "http://scheduling",
    ) as client:
        yield client
