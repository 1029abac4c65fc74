"""JWT abuse through the public interface: an app from ``create_app`` configured as in production
(the identity provider's JWKS, a secret of its own, audience and issuer required, not development
mode) answers every token an attacker might try with 401, for the right reason, and neither the
body nor the log repeats the token or any value in it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest

from services.kit.settings import DEV_JWT_SECRET
from services.kit.token_minting import mint_token
from tests.support.identity_provider import (
    EC,
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

ATTACKER = IdentityProviderKey.rsa("attacker-key-1")
YEAR = 365 * 24 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade(payload: dict[str, Any], key: bytes | None, **header: Any) -> str:
    """A token no library would sign: ``alg: none``, or HS256 keyed with a public key."""
    header = {"typ": "JWT", "alg": "HS256" if key else "none", **header}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest() if key else b""
    return f"{signing_input}.{_b64(signature)}"


def at(offset: int) -> int:
    """Seconds from now, when the token is made (in the test, not at collection)."""
    return int(time.time()) + offset


JWK, FOREIGN = ATTACKER.public_jwk(), "https://attacker.test/jwks.json"
ABUSES: list[tuple[str, Callable[[], str], str]] = [  # (abuse, its token, the reason the 401 gives)
    ("a development token", lambda: mint_token(DEV_JWT_SECRET, "dev-1", "0380", ["auditor"]), "signature"),
    ("the development secret", lambda: jwt.encode(claims(), DEV_JWT_SECRET), "signature"),
    ("alg none", lambda: handmade(claims(), None), "algorithm must be HS256"),
    ("alg none naming a real key", lambda: handmade(claims(), None, kid=RSA.kid), "algorithm must be RS256"),
    ("HS384 with the secret", lambda: jwt.encode(claims(), SECRET * 2, algorithm="HS384"), "algorithm"),
    ("HS256 with another secret", lambda: jwt.encode(claims(), "x" * 40), "signature"),
    (
        "RS/HS confusion naming the RSA key",
        lambda: handmade(claims(), RSA.public_pem(), kid=RSA.kid),
        "RS256",
    ),
    ("RS/HS confusion without a kid", lambda: handmade(claims(), RSA.public_pem()), "signature"),
    ("ES/HS confusion naming the EC key", lambda: handmade(claims(), EC.public_pem(), kid=EC.kid), "ES256"),
    ("RS256 naming the ES256 key", lambda: ATTACKER.sign(claims(), kid=EC.kid), "algorithm must be ES256"),
    ("foreign jku", lambda: ATTACKER.sign(claims(), jku=FOREIGN), "'kid' is not a key"),
    ("foreign jku naming a real kid", lambda: ATTACKER.sign(claims(), kid=RSA.kid, jku=FOREIGN), "signature"),
    ("foreign x5u", lambda: ATTACKER.sign(claims(), x5u="https://attacker.test/c.pem"), "'kid' is not a key"),
    ("embedded jwk", lambda: ATTACKER.sign(claims(), jwk=JWK), "'kid' is not a key"),
    ("embedded jwk naming a real kid", lambda: ATTACKER.sign(claims(), kid=RSA.kid, jwk=JWK), "signature"),
    ("unknown kid", lambda: ATTACKER.sign(claims(), kid="rsa-2027-9"), "'kid' is not a key"),
    ("expired", lambda: RSA.sign(claims(iat=at(-7200), exp=at(-3600))), "expired"),
    ("future nbf", lambda: RSA.sign(claims(nbf=at(600))), "not yet valid"),
    ("iat beyond the leeway", lambda: RSA.sign(claims(iat=at(600), exp=at(1200))), "not yet valid"),
    ("100-year lifetime", lambda: EC.sign(claims(exp=at(100 * YEAR))), "lifetime exceeds 43200 seconds"),
    ("wrong aud", lambda: RSA.sign(claims(aud="another-system")), "audience"),
    ("wrong iss", lambda: EC.sign(claims(iss="https://evil.test/idp")), "issuer"),
    ("missing aud", lambda: RSA.sign(claims(aud=None)), "'aud'"),
    ("missing iss", lambda: RSA.sign(claims(iss=None)), "'iss'"),
    ("missing exp", lambda: RSA.sign(claims(exp=None)), "'exp'"),
    ("missing iat", lambda: RSA.sign(claims(iat=None)), "'iat'"),
    ("missing municipality", lambda: RSA.sign(claims(municipality=None)), "municipality"),
]


def _values(token: str) -> set[str]:
    """The token, its parts and every value in its header and payload an echo would show."""
    header, payload = (json.loads(base64.urlsafe_b64decode(part + "==")) for part in token.split(".")[:2])
    found = {token, *token.split(".")[:2]}
    for name, value in [*header.items(), *payload.items(), *header.get("jwk", {}).items()]:
        if name not in ("alg", "typ", "municipality", "roles", "jwk", "kty", "use", "e", "crv"):
            found.add(str(value))
    return found


@pytest.mark.parametrize(("abuse", "make", "reason"), ABUSES, ids=[abuse for abuse, *_ in ABUSES])
async def test_an_abusive_token_is_401_and_neither_body_nor_log_repeats_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], abuse: str, make: Callable[[], str], reason: str
) -> None:
    token = make()
    async with referrals_with(tmp_path, **production(write_jwks(tmp_path, RSA, EC))) as client:
        response = await client.get(LIST, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, abuse
    assert reason in response.json()["error"]["message"]
    output = capsys.readouterr()
    logged = output.out + output.err
    assert "token refused" in logged
    for value in _values(token):
        assert value not in response.text, (abuse, value)
        assert value not in logged, (abuse, value)


async def test_a_foreign_jku_is_never_fetched(tmp_path: Path) -> None:
    with JwksServer(ATTACKER).running() as attacker:
        async with referrals_with(tmp_path, **production(write_jwks(tmp_path, RSA))) as client:
            assert await status_of(client, ATTACKER.sign(claims(), jku=attacker.url)) == 401
            assert await status_of(client, ATTACKER.sign(claims(), kid=RSA.kid, jku=attacker.url)) == 401
        assert attacker.fetches == 0


async def test_an_unreachable_jwks_refuses_tokens_without_saying_more(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/jwks.json"
    async with referrals_with(tmp_path, **production(url)) as client:
        response = await client.get(LIST, headers={"Authorization": f"Bearer {RSA.sign(claims())}"})
    assert response.status_code == 401
    assert "could not be fetched" in response.json()["error"]["message"]
    assert url not in response.text
