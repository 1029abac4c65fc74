from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from services.kit.auth import AuthenticationError, TokenVerifier, mint_token

SECRET = "a-test-secret-that-is-long-enough-0123456789"
VERIFIER = TokenVerifier(SECRET)


def _claims(**overrides: object) -> dict:
    claims = {"sub": "cw-1", "municipality": "0380", "roles": ["case_worker"], "exp": int(time.time()) + 3600}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _unsigned(claims: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_a_valid_token_yields_the_caller() -> None:
    caller = VERIFIER.verify(mint_token(SECRET, "cw-1", "1980", ["case_worker", "auditor", "wizard"]))
    assert (caller.subject, caller.municipality) == ("cw-1", "1980")
    assert caller.roles == {"case_worker", "auditor"}


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (_unsigned(_claims()), "algorithm"),
        (jwt.encode(_claims(), "another-secret-that-is-long-enough-000000", algorithm="HS256"), "signature"),
        (jwt.encode(_claims(), SECRET, algorithm="HS512"), "algorithm"),
        (jwt.encode(_claims(exp=int(time.time()) - 60), SECRET, algorithm="HS256"), "expired"),
        (jwt.encode(_claims(nbf=int(time.time()) + 600), SECRET, algorithm="HS256"), "not yet valid"),
        (jwt.encode(_claims(exp=None), SECRET, algorithm="HS256"), "'exp'"),
        (jwt.encode(_claims(sub=None), SECRET, algorithm="HS256"), "'sub'"),
        (jwt.encode(_claims(municipality="0180"), SECRET, algorithm="HS256"), "municipality"),
        (jwt.encode(_claims(roles="case_worker"), SECRET, algorithm="HS256"), "roles"),
        ("not-a-token", "malformed"),
    ],
)
def test_unacceptable_tokens_are_refused_with_the_reason(token: str, reason: str) -> None:
    with pytest.raises(AuthenticationError, match=reason):
        VERIFIER.verify(token)


def test_audience_and_issuer_are_enforced_when_configured() -> None:
    strict = TokenVerifier(SECRET, audience="natverk", issuer="idp")
    good = mint_token(SECRET, "cw-1", "0380", ["case_worker"], aud="natverk", iss="idp")
    assert strict.verify(good).subject == "cw-1"
    with pytest.raises(AuthenticationError, match="audience"):
        strict.verify(mint_token(SECRET, "cw-1", "0380", ["case_worker"], aud="other", iss="idp"))
    with pytest.raises(AuthenticationError, match="issuer"):
        strict.verify(mint_token(SECRET, "cw-1", "0380", ["case_worker"], aud="natverk", iss="evil"))
