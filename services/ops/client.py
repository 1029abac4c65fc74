"""Calling the services' HTTP APIs as ops: a short-lived ops token, the services' addresses."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx

from services.kit.auth import mint_token
from services.kit.settings import ServiceSettings

PAGE_LIMIT = 200  # the most a page may hold: the fewest requests


class NoOpsToken(Exception):
    """Neither an ops token from the identity provider nor a secret to sign one with."""


def ops_headers(settings: ServiceSettings) -> dict[str, str]:
    """An ops token: ``NATVERK_OPS_TOKEN`` (issued by the identity provider), else one signed with
    the configured HS256 secret for the configured audience and issuer (development, small sites)."""
    token = os.environ.get("NATVERK_OPS_TOKEN", "").strip()
    if not token:
        if settings.jwt_secret is None:
            raise NoOpsToken("set NATVERK_OPS_TOKEN to an ops token from your identity provider")
        secret = settings.jwt_secret.get_secret_value()
        audience, issuer = settings.jwt_audience, settings.jwt_issuer
        token = mint_token(secret, "natverk-cli", "0380", ["ops"], 300, audience=audience, issuer=issuer)
    return {"Authorization": f"Bearer {token}", "X-Access-Purpose": "operations"}


def case_store_url(settings: ServiceSettings) -> str:
    return f"http://{settings.host}:{settings.case_store_port}"


def fetch_statistics(
    settings: ServiceSettings, period_from: str, period_to: str, url: str | None = None
) -> dict[str, Any]:
    response = httpx.get(
        f"{url or case_store_url(settings)}/api/v1/statistics/placements",
        params={"from": period_from, "to": period_to},
        headers=ops_headers(settings),
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def every_page(
    url: str, headers: dict[str, str], params: dict[str, Any] | None = None, timeout: float = 60
) -> Iterator[dict[str, Any]]:
    """Each page of a paged list (``limit``/``cursor``, ``next_cursor``), first to last.

    A service from before paging answers once, without ``next_cursor``: that is its only page.
    """
    cursor: str | None = None
    while True:
        query = {**(params or {}), "limit": PAGE_LIMIT, **({"cursor": cursor} if cursor else {})}
        response = httpx.get(url, params=query, headers=headers, timeout=timeout)
        response.raise_for_status()
        page = response.json()
        yield page
        following = page.get("next_cursor") if isinstance(page, dict) else None
        if not following:
            return
        if following == cursor:
            raise RuntimeError(f"{url} gave the same cursor twice: its list does not advance")
        cursor = following


def fetch_chain_report(settings: ServiceSettings, url: str | None = None) -> dict[str, Any]:
    """Every timeline's chain checked, a page at a time: how many, and the broken ones."""
    report: dict[str, Any] = {"timelines_checked": 0, "broken": []}
    verify = f"{url or case_store_url(settings)}/api/v1/audit/verify"
    for page in every_page(verify, ops_headers(settings), timeout=300):
        report["timelines_checked"] += page["timelines_checked"]
        report["broken"] += page["broken"]
    return report


def service_url(settings: ServiceSettings, service: str) -> str:
    return f"http://{settings.host}:{settings.port_of(service)}"
