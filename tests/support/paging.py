"""Helpers of the paging tests: services without a runtime, a walk through every page, counters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.kit.domain.case_access import CaseAccess
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures

Serve = Callable[[Callable[..., Any]], Awaitable[httpx.AsyncClient]]


@asynccontextmanager
async def services(data_dir: Path) -> AsyncIterator[Serve]:
    """``serve(create_app)``: a client of that service (its store as ``client.store``); all closed after."""
    apps: list[Any] = []
    clients: list[httpx.AsyncClient] = []

    async def serve(factory: Callable[..., Any]) -> httpx.AsyncClient:
        app = before_the_fixtures(
            factory(make_settings(data_dir / f"store-{len(apps)}"), start_runtime=False)
        )
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")
        client.store = app.state.runtime.app  # type: ignore[attr-defined]
        apps.append(app)
        clients.append(client)
        return client

    try:
        yield serve
    finally:
        for client in clients:
            await client.aclose()
        for app in apps:
            app.state.runtime.app.close()


async def walk(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    limit: int,
    between: Callable[[], Awaitable[None]] | None = None,
) -> list[list[dict[str, Any]]]:
    """The items of every page of ``url``, first to last, calling ``between`` after each page."""
    pages, cursor = [], None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(url, params=params, headers=headers)
        assert response.status_code == 200, response.text
        pages.append(response.json()["items"])
        if (cursor := response.json()["next_cursor"]) is None:
            return pages
        if between is not None:
            await between()


def access_records_since(store: Any, position: int) -> list[tuple[str, str]]:
    """(municipality, case id) of each access record a service stored after ``position``."""
    stored = store.recorder.select_notifications(position + 1, 100_000)
    events = [store.mapper.to_domain_event(notification) for notification in stored]
    return [(e.municipality, e.case_id) for e in events if isinstance(e, CaseAccess.Recorded)]


class Counting:
    """Counts the calls of one method of an object while the monkeypatch lasts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> None:
        self.calls = 0
        original = getattr(target, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(target, name, counted)
