"""Tokens as municipal identity providers issue them, through an app from ``create_app``:
RS256 and ES256 verified against the configured JWKS (a file or a URL served here on
127.0.0.1), key rotation by ``kid``, and HS256 with the service's own secret beside them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import jwt.jwk_set_cache
import pytest

import services.kit.jwks
from services.cli import main as natverk
from services.kit.jwks import CACHE_SECONDS, STALE_KEYS_SECONDS
from services.kit.token_minting import mint_token
from tests.support.identity_provider import (
    AUDIENCE,
    EC,
    ISSUER,
    LIST,
    RSA,
    SECRET,
    IdentityProviderKey,
    JwksServer,
    claims,
    production,
    referrals_with,
    status_of,
    write_jwks,
)


@pytest.mark.parametrize("key", [RSA, EC], ids=["RS256", "ES256"])
@pytest.mark.parametrize("source", ["file", "url"])
async def test_rs256_and_es256_tokens_of_the_identity_provider_are_accepted(
    tmp_path: Path, key: IdentityProviderKey, source: str
) -> None:
    with JwksServer(RSA, EC).running() as server:
        location = server.url if source == "url" else write_jwks(tmp_path, RSA, EC)
        async with referrals_with(tmp_path, **production(location)) as client:
            response = await client.get(LIST, headers={"Authorization": f"Bearer {key.sign(claims())}"})
    assert response.status_code == 200, response.text
    assert response.json() == {"items": [], "next_cursor": None}


async def test_a_new_kid_is_accepted_once_the_jwks_gains_it(tmp_path: Path) -> None:
    rotated = IdentityProviderKey.ec("ec-2026-2")
    with JwksServer(RSA).running() as server:
        async with referrals_with(
            tmp_path, **production(server.url, jwks_refresh_cooldown_seconds=0)
        ) as client:
            assert await status_of(client, RSA.sign(claims())) == 200
            assert await status_of(client, rotated.sign(claims())) == 401
            server.keys.append(rotated)
            assert await status_of(client, rotated.sign(claims())) == 200
            assert await status_of(client, RSA.sign(claims())) == 200
        assert server.fetches == 3  # the first, then one refresh per unknown kid; known kids fetch nothing


async def test_unknown_kids_refresh_the_jwks_at_most_once_per_cooldown(tmp_path: Path) -> None:
    with JwksServer(RSA).running() as server:
        async with referrals_with(tmp_path, **production(server.url)) as client:
            assert await status_of(client, RSA.sign(claims())) == 200
            for attempt in range(5):
                assert await status_of(client, RSA.sign(claims(), kid=f"made-up-{attempt}")) == 401
        assert server.fetches == 1


async def test_a_jwks_file_that_gains_a_key_accepts_its_tokens(tmp_path: Path) -> None:
    rotated = IdentityProviderKey.rsa("rsa-2026-2")
    location = write_jwks(tmp_path, RSA)
    async with referrals_with(tmp_path, **production(location, jwks_refresh_cooldown_seconds=0)) as client:
        assert await status_of(client, rotated.sign(claims())) == 401
        write_jwks(tmp_path, RSA, rotated)
        os.utime(location, (time.time() + 5, time.time() + 5))  # a new stamp, however coarse the clock
        assert await status_of(client, rotated.sign(claims())) == 200


async def test_beside_the_jwks_an_hs256_token_with_the_services_own_secret_is_accepted(
    tmp_path: Path,
) -> None:
    token = mint_token(SECRET, "ops-1", "0380", ["coordinator"], audience=AUDIENCE, issuer=ISSUER)
    async with referrals_with(tmp_path, **production(write_jwks(tmp_path, RSA))) as client:
        assert await status_of(client, token) == 200


async def test_with_only_a_jwks_an_hs256_token_is_refused(tmp_path: Path) -> None:
    token = mint_token(SECRET, "ops-1", "0380", ["coordinator"], audience=AUDIENCE, issuer=ISSUER)
    jwks_only = {**production(write_jwks(tmp_path, RSA)), "jwt_secret": None}
    async with referrals_with(tmp_path, **jwks_only) as client:
        response = await client.get(LIST, headers={"Authorization": f"Bearer {token}"})
        assert await status_of(client, RSA.sign(claims())) == 200
    assert response.status_code == 401
    assert "names no key" in response.json()["error"]["message"]


async def test_development_mode_accepts_a_token_from_natverk_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert natverk(["token", "--roles", "coordinator", "--lifetime", "600"]) == 0
    token = capsys.readouterr().out.strip()
    async with referrals_with(tmp_path, dev=True) as client:
        assert await status_of(client, token) == 200


def test_natverk_token_refuses_a_lifetime_longer_than_tokens_may_have(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert natverk(["token", "--lifetime", str(100 * 365 * 24 * 3600)]) == 2
    assert "NATVERK_JWT_MAX_LIFETIME_SECONDS" in capsys.readouterr().err


def later(seconds: float) -> SimpleNamespace:
    """A ``time`` module whose monotonic clock runs ``seconds`` ahead (for one module only)."""
    return SimpleNamespace(monotonic=lambda: time.monotonic() + seconds)


async def test_while_the_identity_provider_is_unreachable_the_keys_last_fetched_serve_for_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = JwksServer(RSA)
    async with referrals_with(tmp_path, **production(server.url)) as client:
        with server.running():
            assert await status_of(client, RSA.sign(claims())) == 200
        # the provider is gone and the cached set has expired: the next token makes a fetch, which fails
        monkeypatch.setattr(jwt.jwk_set_cache, "time", later(CACHE_SECONDS + 1))
        assert await status_of(client, RSA.sign(claims())) == 200
        assert await status_of(client, EC.sign(claims())) == 401  # a key never fetched is never trusted
        monkeypatch.setattr(services.kit.jwks, "time", later(STALE_KEYS_SECONDS + 1))
        assert await status_of(client, RSA.sign(claims())) == 401
    assert server.fetches == 1
