"""Running a service's app in-process, lifespan included, with an HTTP client for it."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


@contextmanager
def case_store(settings: ServiceSettings) -> Iterator[TestClient]:
    """The case store's HTTP API on ``settings``' store, without its runtime (no broker)."""
    app = create_case_store(settings, start_runtime=False)
    try:
        with TestClient(app, base_url="http://case-store") as client:
            yield client
    finally:
        app.state.runtime.app.close()


async def eventually(check: Callable[[], Any], timeout: float = 15.0, interval: float = 0.1) -> Any:
    """Poll ``check`` (sync or async) until it returns something truthy; fail with its last result."""
    deadline = time.monotonic() + timeout
    result: Any = None
    while time.monotonic() < deadline:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last result: {result!r}")
