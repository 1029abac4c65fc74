"""A municipality's identity provider for tests: keys, JWKS files, a JWKS server, and a service using them.

``IdentityProviderKey`` signs RS256 or ES256 tokens as the provider does (``RSA`` and ``EC`` are
its keys); ``JwksServer`` publishes keys on 127.0.0.1 (they may change while it runs) and counts
the fetches;
``production`` is the configuration of a service outside development mode that trusts them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from services.referrals.app import create_app as create_referrals
from tests.conftest import make_settings

AUDIENCE, ISSUER = "natverk-api", "https://idp.uppsala.test"
SECRET = "the-service-secret-for-the-ops-cli-0123456789"
LIST = "/api/v1/referrals"


@dataclass(frozen=True)
class IdentityProviderKey:
    kid: str
    algorithm: str  # RS256 or ES256
    private: Any

    @classmethod
    def rsa(cls, kid: str) -> IdentityProviderKey:
        return cls(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str) -> IdentityProviderKey:
        return cls(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def public_jwk(self) -> dict[str, Any]:
        codec = RSAAlgorithm if self.algorithm == "RS256" else ECAlgorithm
        jwk = codec.to_jwk(self.private.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.algorithm}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        return jwt.encode(claims, self.private, algorithm=self.algorithm, headers={"kid": self.kid, **header})


# The provider's signing keys: one RSA and one EC key, as the tests' municipal provider publishes them.
RSA, EC = IdentityProviderKey.rsa("rsa-2026-1"), IdentityProviderKey.ec("ec-2026-1")


def jwks(*keys: IdentityProviderKey) -> dict[str, Any]:
    return {"keys": [key.public_jwk() for key in keys]}


class JwksServer:
    """An identity provider's JWKS endpoint on 127.0.0.1; ``keys`` may change while it runs."""

    def __init__(self, *keys: IdentityProviderKey) -> None:
        self.keys = list(keys)
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps(jwks(*server.keys)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/.well-known/jwks.json"

    @contextmanager
    def running(self) -> Iterator[JwksServer]:
        thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._http.shutdown()
            self._http.server_close()
            thread.join(timeout=5)


def write_jwks(folder: Path, *keys: IdentityProviderKey) -> str:
    path = folder / "jwks.json"
    path.write_text(json.dumps(jwks(*keys)))
    return str(path)


def claims(**overrides: Any) -> dict[str, Any]:
    """A coordinator of Uppsala (0380) for this system, valid for an hour; ``None`` drops a claim."""
    now = int(time.time())
    base = {
        "sub": "idp-user-7f3a",
        "municipality": "0380",
        "roles": ["coordinator"],
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + 3600,
    }
    return {k: v for k, v in {**base, **overrides}.items() if v is not None}


def production(jwks_location: str, **extra: Any) -> dict[str, Any]:
    """Settings outside development mode: the provider's JWKS, a secret of its own, aud and iss."""
    return {
        "dev": False,
        "jwks": jwks_location,
        "jwt_secret": SECRET,
        "jwt_audience": AUDIENCE,
        "jwt_issuer": ISSUER,
        **extra,
    }


@asynccontextmanager
async def referrals_with(folder: Path, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The referrals app from ``create_app`` with these settings, and a client of it."""
    app = create_referrals(make_settings(folder / "data", **settings), start_runtime=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://referrals"
    ) as client:
        yield client
    app.state.runtime.app.close()


async def status_of(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get(LIST, headers={"Authorization": f"Bearer {token}"})).status_code
