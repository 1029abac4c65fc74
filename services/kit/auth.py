"""Bearer JWT authentication (HS256) and the caller it yields.

Claims: ``sub``, ``municipality`` (0380, 1980 or 2180), ``roles`` (a list),
``exp`` (required).  Anything else about the token — ``alg: none``, another
algorithm, a wrong key, expired, not yet valid, wrong audience or issuer,
missing claims — is refused with 401.  The token itself is never logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from contracts.common import MUNICIPALITIES

ALGORITHM = "HS256"
KNOWN_ROLES = frozenset(
    {
        "case_worker",
        "coordinator",
        "network_centre",
        "safety_team",
        "family_home_consultant",
        "auditor",
        "ops",
    }
)


class AuthenticationError(Exception):
    """The request carries no acceptable token; the message says why (no token content)."""


@dataclass(frozen=True)
class Caller:
    subject: str
    municipality: str
    roles: frozenset[str]

    def has_any_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class TokenVerifier:
    def __init__(self, secret: str, audience: str | None = None, issuer: str | None = None) -> None:
        self._secret = secret
        self._audience = audience
        self._issuer = issuer

    def verify(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationError("malformed token") from None
        if header.get("alg") != ALGORITHM:
            raise AuthenticationError(f"token algorithm must be {ALGORITHM}")
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "sub"], "verify_aud": self._audience is not None},
                leeway=5,
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("token expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthenticationError("token not yet valid") from None
        except jwt.InvalidAudienceError:
            raise AuthenticationError("token audience not accepted") from None
        except jwt.InvalidIssuerError:
            raise AuthenticationError("token issuer not accepted") from None
        except jwt.MissingRequiredClaimError as error:
            raise AuthenticationError(f"token lacks the {error.claim!r} claim") from None
        except jwt.PyJWTError:
            raise AuthenticationError("token signature or claims invalid") from None
        return _caller_from(claims)


def _caller_from(claims: dict[str, Any]) -> Caller:
    subject = claims.get("sub")
    municipality = claims.get("municipality")
    roles = claims.get("roles")
    if not isinstance(subject, str) or not subject.strip():
        raise AuthenticationError("token 'sub' must be a non-empty string")
    if municipality not in MUNICIPALITIES:
        raise AuthenticationError("token 'municipality' must be 0380, 1980 or 2180")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise AuthenticationError("token 'roles' must be a list of strings")
    return Caller(subject, municipality, frozenset(roles) & KNOWN_ROLES)


def mint_token(
    secret: str,
    subject: str,
    municipality: str,
    roles: list[str],
    lifetime_seconds: int = 3600,
    **extra: Any,
) -> str:
    """A signed token for development, tests and the ops CLI."""
    import time

    now = int(time.time())
    claims = {"sub": subject, "municipality": municipality, "roles": roles, "iat": now}
    claims["exp"] = now + lifetime_seconds
    claims.update(extra)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)
