"""Bearer JWT authentication and the caller it yields.

Production tokens are RS256 or ES256, signed by the municipality's identity provider and
verified against its JWKS (``services.kit.jwks``); HS256 with a shared secret is for
development and the ops CLI (minted by ``services.kit.token_minting``).  The key decides the
algorithm, never the token's header.  Claims: ``sub`` (1-200 printable characters, holding no personal identity number),
``municipality`` (0380, 1980 or 2180), ``roles`` (a list), ``exp`` and ``iat`` (JSON numbers,
as ``nbf`` if present; a lifetime of at most the configured maximum), ``aud`` and ``iss``
(required unless development mode switches them off).  Anything else — ``alg: none``, another
algorithm, a wrong or unknown key, expired, not yet valid, wrong audience or issuer, missing
claims — is refused with 401 and a reason that never repeats the token or a claim's value.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

from contracts.common import MUNICIPALITIES
from contracts.pin import contains_personal_identity_number
from services.kit.attribution import ACTOR_MAX
from services.kit.jwks import KeySet, KeySetUnavailable, key_set
from services.kit.logs import get_logger
from services.kit.settings import DEV_JWT_SECRET, ServiceSettings

log = get_logger(__name__)
ALGORITHM = "HS256"  # with the shared secret
SUBJECT_MAX = ACTOR_MAX
TIME_CLAIMS = ("exp", "iat", "nbf")
KNOWN_ROLES = frozenset(
    {
        "case_worker",
        "coordinator",
        "network_centre",
        "safety_team",
        "family_home_consultant",
        "auditor",
        "registrar",  # answers a data subject's right of access (registerutdrag, ADR 0018)
        "ops",
    }
)
_REASONS: dict[type[jwt.PyJWTError], str] = {
    jwt.ExpiredSignatureError: "token expired",
    jwt.ImmatureSignatureError: "token not yet valid",
    jwt.InvalidAudienceError: "token audience not accepted",
    jwt.InvalidIssuerError: "token issuer not accepted",
    jwt.InvalidIssuedAtError: "token 'iat' must be a number",
}


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
    def __init__(
        self,
        secret: str | None = None,
        audience: str | None = None,
        issuer: str | None = None,
        *,
        keys: KeySet | None = None,
        max_lifetime_seconds: int = 12 * 3600,
        leeway_seconds: int = 60,
    ) -> None:
        self._secret = secret
        self._keys = keys
        self._audience = audience
        self._issuer = issuer
        self._max_lifetime = max_lifetime_seconds
        self._leeway = leeway_seconds

    def verify(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationError("malformed token") from None
        key, algorithm = self._key_for(header)
        if header.get("alg") != algorithm:
            raise AuthenticationError(f"token algorithm must be {algorithm} for its key")
        claims = self._decode(token, key, algorithm)
        if claims["exp"] - claims["iat"] > self._max_lifetime or (
            claims["exp"] - time.time() > self._max_lifetime + self._leeway
        ):
            raise AuthenticationError(f"token lifetime exceeds {self._max_lifetime} seconds")
        return _caller_from(claims)

    def _key_for(self, header: dict[str, Any]) -> tuple[Any, str]:
        """The configured key the token names, and its algorithm; ``jku``, ``x5u``, ``jwk`` are never read."""
        kid = header.get("kid")
        if self._keys is not None and kid is not None:
            try:
                key = self._keys.key(kid)
            except KeySetUnavailable as unavailable:
                raise AuthenticationError(str(unavailable)) from None
            if key is None:
                raise AuthenticationError("token 'kid' is not a key of the identity provider")
            return key, key.algorithm_name
        if self._secret is None:
            raise AuthenticationError("token names no key ('kid')")
        return self._secret, ALGORITHM

    def _decode(self, token: str, key: Any, algorithm: str) -> dict[str, Any]:
        required = ["exp", "iat", "sub"]
        required += [claim for claim, value in (("aud", self._audience), ("iss", self._issuer)) if value]
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": required, "verify_aud": self._audience is not None},
                leeway=self._leeway,
            )
        except jwt.MissingRequiredClaimError as error:
            raise AuthenticationError(f"token lacks the {error.claim!r} claim") from None
        except jwt.PyJWTError as error:
            reason = next((r for kind, r in _REASONS.items() if isinstance(error, kind)), None)
            raise AuthenticationError(reason or "token signature or claims invalid") from None
        # PyJWT takes "1700000000" or true for a time: RFC 7519 says a JSON number (NumericDate).
        if any(_not_a_number(claims[name]) for name in TIME_CLAIMS if name in claims):
            raise AuthenticationError("token 'exp', 'iat' and 'nbf' must be numbers")
        claims["exp"], claims["iat"] = int(claims["exp"]), int(claims["iat"])  # both checked by decode
        return claims


def verifier_for(settings: ServiceSettings) -> TokenVerifier:
    """The service's verifier; in development mode it says so, once, at start-up."""
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    if settings.dev:
        log.warning(
            "development mode (NATVERK_DEV=1): bearer tokens are verified with the "
            + ("development secret" if secret == DEV_JWT_SECRET else "configured secret")
            + "; never run like this in production"
        )
    required = settings.jwt_require_audience_and_issuer
    keys = key_set(settings.jwks, settings.jwks_refresh_cooldown_seconds) if settings.jwks else None
    return TokenVerifier(
        secret,
        settings.jwt_audience if required else None,
        settings.jwt_issuer if required else None,
        keys=keys,
        max_lifetime_seconds=settings.jwt_max_lifetime_seconds,
        leeway_seconds=settings.jwt_leeway_seconds,
    )


def _caller_from(claims: dict[str, Any]) -> Caller:
    subject = claims.get("sub")
    municipality = claims.get("municipality")
    roles = claims.get("roles")
    if not _is_subject(subject):
        raise AuthenticationError(f"token 'sub' must be 1-{SUBJECT_MAX} printable characters")
    if contains_personal_identity_number(subject):
        # Who acted is stored on every event and published on the internal topics and in access
        # records: an identity provider must name staff by an employee id, not a personnummer.
        raise AuthenticationError("token 'sub' must not hold a personal identity number")
    if municipality not in MUNICIPALITIES:
        raise AuthenticationError("token 'municipality' must be 0380, 1980 or 2180")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise AuthenticationError("token 'roles' must be a list of strings")
    return Caller(subject, municipality, frozenset(roles) & KNOWN_ROLES)


def _is_subject(subject: Any) -> bool:
    """Printable (no control or format characters: it is written to logs and attributions), and no
    longer than an attribution keeps, so that two subjects never become one ``actor``."""
    return (
        isinstance(subject, str)
        and bool(subject.strip())
        and len(subject) <= SUBJECT_MAX
        and subject.isprintable()
    )


def _not_a_number(value: Any) -> bool:
    return isinstance(value, bool) or not isinstance(value, (int, float))
