"""Calling the services' HTTP APIs as ops: a short-lived ops token, the services' addresses.

Everything here takes ``ClientSettings``, what the ops CLI loads (``ServiceSettings`` is one too).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx

from services.kit.client_settings import ClientSettings
from services.kit.token_minting import mint_token

PAGE_LIMIT = 200  # the most a page may hold: the fewest requests


class NoOpsToken(Exception):
    """Neither an ops token from the identity provider nor a secret to sign one with."""


def role_headers(
    settings: ClientSettings, role: str, municipality: str, token_variable: str, purpose: str
) -> dict[str, str]:
    """A token for ``role``: ``token_variable`` (issued by the identity provider, its municipality
    is the scope), else a five-minute one of ``municipality`` signed with the configured HS256
    secret for the configured audience and issuer (development, small sites)."""
    token = os.environ.get(token_variable, "").strip()
    if not token:
        wanted = f"set {token_variable} to {_article(role)} {role} token from your identity provider"
        if settings.jwt_secret is None:
            raise NoOpsToken(wanted)
        if problem := settings.signing_problem():  # a secret alone would sign tokens that are refused
            raise NoOpsToken(f"{wanted} ({problem})")
        secret = settings.jwt_secret.get_secret_value()
        audience, issuer = settings.jwt_audience, settings.jwt_issuer
        token = mint_token(secret, "natverk-cli", municipality, [role], 300, audience=audience, issuer=issuer)
    return {"Authorization": f"Bearer {token}", "X-Access-Purpose": purpose}


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def ops_headers(settings: ClientSettings) -> dict[str, str]:
    """An ops token: ``NATVERK_OPS_TOKEN``, else one signed with the configured secret."""
    return role_headers(settings, "ops", "0380", "NATVERK_OPS_TOKEN", "operations")


def auditor_headers(settings: ClientSettings, municipality: str) -> dict[str, str]:
    """An auditor token: ``NATVERK_AUDITOR_TOKEN``, else one of ``municipality`` signed with the secret."""
    return role_headers(settings, "auditor", municipality, "NATVERK_AUDITOR_TOKEN", "audit")


def case_store_url(settings: ClientSettings) -> str:
    return f"http://{settings.host}:{settings.case_store_port}"


def fetch_statistics(
    settings: ClientSettings, period_from: str, period_to: str, url: str | None = None
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


def fetch_chain_report(settings: ClientSettings, url: str | None = None) -> dict[str, Any]:
    """Every chain checked against the latest checkpoint, a page at a time, as one report."""
    report: dict[str, Any] = {
        "chains_checked": 0,
        "problems": [],
        "checkpoint": None,
        "forged_checkpoints": [],
        "unfiled_checkpoints": [],
        "unchained_records_not_covered": 0,
    }
    verify = f"{url or case_store_url(settings)}/api/v1/audit/verify"
    for page in every_page(verify, ops_headers(settings), timeout=300):
        report["chains_checked"] += page["chains_checked"]
        report["problems"] += page["problems"]
        report["unchained_records_not_covered"] += page.get("unchained_records_not_covered", 0)
        report["checkpoint"] = page["checkpoint"]
        report["forged_checkpoints"] = page["forged_checkpoints"]
        report["unfiled_checkpoints"] = page["unfiled_checkpoints"]
    return report


def service_url(settings: ClientSettings, service: str) -> str:
    return f"http://{settings.host}:{settings.port_of(service)}"
