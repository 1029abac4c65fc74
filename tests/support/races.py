"""Two replicas of one service on one real store, one of them made to store last: the races the
protection gates close (ADR 0032).  Each replica is the service's app with no broker, its
consumers fed by hand; ``storing_after`` holds one replica's next store, all its reads done,
until the rival has done its whole unit of work in a thread (and a transaction) of its own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx

from services.kit.settings import ServiceSettings
from tests.support.fetched import fed_by_hand, in_process_consumer

T = TypeVar("T")


@asynccontextmanager
async def replica_of(
    create_app: Callable[..., Any], consumers: Callable[[Any], list[Any]], settings: ServiceSettings
) -> AsyncIterator[httpx.AsyncClient]:
    """The service's app on ``settings``' store, no broker; ``client.feeds`` hand each of its
    consumers one record at a time (by topic), ``client.store`` is its store."""
    app = create_app(settings, start_runtime=False)
    store = app.state.runtime.app
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://replica")
    client.store = store  # type: ignore[attr-defined]
    client.feeds = {  # type: ignore[attr-defined]
        spec.topic: fed_by_hand(in_process_consumer(store, spec, f"{spec.topic}-news")[0], spec.topic)
        for spec in consumers(store)
    }
    try:
        yield client
    finally:
        await client.aclose()
        store.close()


def storing_after(store: Any, rival: Callable[[], Awaitable[T]]) -> list[T]:
    """Make ``store``'s next store wait, all its reads done, until ``rival()`` has run in a thread
    of its own (another replica, its own transaction): the stale writer.  The rival's answer is
    appended to the list returned, once."""
    stores = store._store
    raced: list[T] = []

    def after_the_rival(processing_event: Any) -> Any:
        if not raced:
            rival_thread = threading.Thread(target=lambda: raced.append(asyncio.run(rival())))  # type: ignore[arg-type]
            rival_thread.start()
            rival_thread.join()
        return stores(processing_event)

    store._store = after_the_rival
    return raced


def saving_after(store: Any, rival: Callable[[], T]) -> list[T]:
    """Make ``store``'s next ``save`` (its decision taken, nothing stored yet) wait until ``rival()``
    has run: another replica deciding the same thing at the same moment, on the same thread.  The
    rival's answer is appended to the list returned, once."""
    saving = store.save
    ran: list[T] = []

    def after_the_rival(*aggregates: Any, **kwargs: Any) -> Any:
        if not ran:
            ran.append(rival())
        return saving(*aggregates, **kwargs)

    store.save = after_the_rival
    return ran
