"""Calling the services' HTTP APIs as ops: a short-lived ops token, the services' addresses."""

from __future__ import annotations

import os
from typing import Any

import httpx

from services.kit.auth import mint_token
from services.kit.settings import ServiceSettings


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


def fetch_chain_report(settings: ServiceSettings, url: str | None = None) -> dict[str, Any]:
    response = httpx.get(
        f"{url or case_store_url(settings)}/api/v1/audit/verify", headers=ops_headers(settings), timeout=300
    )
    response.raise_for_status()
    return response.json()


def service_url(settings: ServiceSettings, service: str) -> str:
    return f"http://{settings.host}:{settings.port_of(service)}"
