"""HS256 tokens signed with the shared secret, minted for development, tests and the ops CLI."""

from __future__ import annotations

import time
from typing import Any

import jwt

from services.kit.auth import ALGORITHM
from services.kit.settings import DEV_JWT_AUDIENCE, DEV_JWT_ISSUER


def mint_token(
    secret: str,
    subject: str,
    municipality: str,
    roles: list[str],
    lifetime_seconds: int = 3600,
    *,
    audience: str | None = DEV_JWT_AUDIENCE,
    issuer: str | None = DEV_JWT_ISSUER,
    **extra: Any,
) -> str:
    """An HS256 token for development, tests and the ops CLI (``extra`` claims win)."""
    now = int(time.time())
    claims = {"sub": subject, "municipality": municipality, "roles": roles, "iat": now}
    claims |= {"exp": now + lifetime_seconds, "aud": audience, "iss": issuer} | extra
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm=ALGORITHM)
