"""Component tests: the app factory with an HTTP client, no broker started (the relay just waits)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from contracts.topics import PLACEMENTS, REFERRALS
from services.network_support.app import create_app as create_network_support
from services.network_support.inbound import consumers as network_support_consumers
from services.referrals.app import create_app as create_referrals
from services.scheduling.app import create_app as create_scheduling
from services.scheduling.inbound import referral_consumer
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures
from tests.support.events import encode
from tests.support.fetched import fed_by_hand, in_process_consumer


@asynccontextmanager
async def in_process(app: FastAPI, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``app`` in this process (``client.app`` reaches its store); closes the store."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


@asynccontextmanager
async def placements_fed(
    app: FastAPI, consumers_of: Callable[[Any], list[Any]], base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    """``app`` (its runtime not started) served as ``in_process`` serves it, with ``client.feed(event)``
    handing its placements consumer (the kit's real tracking consumer) one CloudEvent; ``client.store``
    is its store."""
    store = app.state.runtime.app
    [placements] = [spec for spec in consumers_of(store) if spec.topic == PLACEMENTS]
    feed = fed_by_hand(in_process_consumer(store, placements, "placement-records")[0], PLACEMENTS)
    async with in_process(app, base_url) as client:
        client.feed = lambda event: feed(encode(event))  # type: ignore[attr-defined]
        client.store = store  # type: ignore[attr-defined]
        yield client


@asynccontextmanager
async def network_support_fed(tmp_path: Path, today: date) -> AsyncIterator[httpx.AsyncClient]:
    """network_support on a day held still, fed as ``placements_fed`` feeds (``client.app`` tells
    what it would publish: ``tests.support.worklists``)."""
    app = create_network_support(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: today
    async with placements_fed(app, network_support_consumers, "http://ns") as client:
        yield client


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


def fed_referral_records(scheduling: httpx.AsyncClient, name: str) -> Any:
    """Scheduling's store, its clock on the referral's morning (Monday 2026-11-23, 08:00), ``feed``
    handing its referrals consumer one record at a time (consumer group ``name``)."""
    store = service_app(scheduling)
    store.clock = lambda: datetime(2026, 11, 23, 8, 0)
    consumer, _ = in_process_consumer(store, referral_consumer(store), name)
    store.feed = fed_by_hand(consumer, REFERRALS)
    return store
