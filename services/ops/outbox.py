"""Parked outbox records of a service (``natverk outbox``): list, show, release after repair."""

from __future__ import annotations

from typing import Any

import httpx

from services.kit.client_settings import ClientSettings
from services.ops.client import every_page, ops_headers, service_url


def _outbox_url(settings: ClientSettings, service: str, url: str | None) -> str:
    return f"{url or service_url(settings, service)}/api/v1/ops/outbox"


def parked(settings: ClientSettings, service: str, url: str | None = None) -> list[dict[str, Any]]:
    """Every parked record not yet released, oldest first (each page of the list in turn)."""
    pages = every_page(_outbox_url(settings, service, url), ops_headers(settings))
    return [record for page in pages for record in page["items"]]


def parked_one(
    settings: ClientSettings, service: str, notification_id: int, url: str | None = None
) -> dict[str, Any] | None:
    """One parked record not yet released, or None."""
    response = httpx.get(
        f"{_outbox_url(settings, service, url)}/{notification_id}", headers=ops_headers(settings), timeout=60
    )
    if response.status_code in (404, 422):  # not parked (or released), or no such notification id
        return None
    response.raise_for_status()
    return response.json()


def release(
    settings: ClientSettings, service: str, notification_id: int, url: str | None = None
) -> dict[str, Any]:
    response = httpx.post(
        f"{_outbox_url(settings, service, url)}/{notification_id}/release",
        headers={**ops_headers(settings), "Idempotency-Key": f"release-{service}-{notification_id}"},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def describe(records: list[dict[str, Any]]) -> str:
    lines = [f"{'notification':>12} {'attempts':>8}  {'parked at':<32} reason"]
    lines += [
        f"{r['notification_id']:>12} {r['attempts']:>8}  {r['parked_at']:<32} {r['reason']}" for r in records
    ]
    return "\n".join(lines)
