"""What the worklist tests share: the public events a service's store would publish."""

from __future__ import annotations

from typing import Any

import httpx


def published(client: httpx.AsyncClient, event_type: str) -> list[Any]:
    """The ``data`` of every ``event_type`` the service's relay would publish, in store order."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    store = runtime.app
    return [
        outgoing.data
        for notification in store.recorder.select_notifications(1, 10_000)
        for outgoing in runtime.publication.translate(store.mapper.to_domain_event(notification))
        if outgoing.event_type == event_type
    ]
