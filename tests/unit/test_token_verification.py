from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable

import jwt
import pytest

from services.kit.auth import AuthenticationError, TokenVerifier, verifier_for
from services.kit.settings import DEV_JWT_SECRET, ServiceSettings
from services.kit.token_minting import mint_token

SECRET = "a-test-secret-that-is-long-enough-0123456789"
AUDIENCE, ISSUER = "natverk-test", "https://idp.test"
VERIFIER = TokenVerifier(SECRET, AUDIENCE, ISSUER)
HOUR = 3600
TIMES = ("iat", "exp", "nbf")


def _claims(**overrides: object) -> dict:
    """Valid claims; ``iat``, ``exp`` and ``nbf`` given as ints are seconds from now (when signed)."""
    now = int(time.time())
    claims = {"sub": "cw-1", "municipality": "0380", "roles": ["case_worker"], "aud": AUDIENCE, "iss": ISSUER}
    claims |= {"iat": now, "exp": now + HOUR}
    for name, value in overrides.items():
        claims[name] = now + value if name in TIMES and isinstance(value, int) else value
    return {k: v for k, v in claims.items() if v is not None}


def _signed(**overrides: object) -> str:
    return jwt.encode(_claims(**overrides), SECRET, algorithm="HS256")


def _unsigned(claims: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_a_valid_token_yields_the_caller() -> None:
    token = mint_token(
        SECRET, "cw-1", "1980", ["case_worker", "auditor", "wizard"], audience=AUDIENCE, issuer=ISSUER
    )
    caller = VERIFIER.verify(token)
    assert (caller.subject, caller.municipality) == ("cw-1", "1980")
    assert caller.roles == {"case_worker", "auditor"}


def test_a_minted_token_carries_audience_issuer_issued_at_and_expiry() -> None:
    claims = jwt.decode(
        mint_token(SECRET, "cw-1", "0380", ["auditor"], 600), options={"verify_signature": False}
    )
    assert (claims["aud"], claims["iss"]) == ("natverk", "natverk-dev")
    assert claims["exp"] - claims["iat"] == 600


REFUSED = [
    (lambda: _unsigned(_claims()), "algorithm"),
    (lambda: jwt.encode(_claims(), "another-secret-that-is-long-enough-000000"), "signature"),
    (lambda: jwt.encode(_claims(), SECRET + SECRET, algorithm="HS512"), "algorithm"),
    (lambda: _signed(exp=-120, iat=-HOUR), "expired"),
    (lambda: _signed(nbf=600), "not yet valid"),
    (lambda: _signed(iat=600, exp=1200), "not yet valid"),
    (lambda: _signed(exp=None), "'exp'"),
    (lambda: _signed(iat=None), "'iat'"),
    (lambda: _signed(iat="yesterday"), "'iat'"),
    (lambda: _signed(sub=None), "'sub'"),
    (lambda: _signed(aud=None), "'aud'"),
    (lambda: _signed(iss=None), "'iss'"),
    (lambda: _signed(aud="another-system"), "audience"),
    (lambda: _signed(iss="https://evil.test"), "issuer"),
    (lambda: _signed(exp=100 * 365 * 24 * HOUR), "lifetime"),
    (lambda: _signed(iat=-11 * HOUR, exp=2 * HOUR), "lifetime"),
    (lambda: _signed(municipality="0180"), "municipality"),
    (lambda: _signed(roles="case_worker"), "roles"),
    (lambda: "not-a-token", "malformed"),
]


@pytest.mark.parametrize(("token", "reason"), REFUSED, ids=[reason for _, reason in REFUSED])
def test_unacceptable_tokens_are_refused_with_the_reason(token: Callable[[], str], reason: str) -> None:
    with pytest.raises(AuthenticationError, match=reason):
        VERIFIER.verify(token())


def test_clock_skew_within_the_leeway_is_tolerated() -> None:
    caller = VERIFIER.verify(_signed(iat=30, exp=HOUR - 30))
    assert VERIFIER.verify(_signed(iat=-HOUR, exp=-30)).subject == caller.subject


def test_the_maximum_lifetime_and_the_leeway_are_configurable() -> None:
    strict = TokenVerifier(SECRET, AUDIENCE, ISSUER, max_lifetime_seconds=600, leeway_seconds=0)
    with pytest.raises(AuthenticationError, match="lifetime exceeds 600 seconds"):
        strict.verify(_signed(exp=601))
    with pytest.raises(AuthenticationError, match="expired"):
        strict.verify(_signed(iat=-300, exp=-1))


def test_without_a_configured_audience_and_issuer_the_claims_are_not_required() -> None:
    lenient = TokenVerifier(SECRET)
    assert lenient.verify(_signed(aud=None, iss=None)).subject == "cw-1"


def test_development_mode_can_switch_the_audience_and_issuer_requirement_off() -> None:
    settings = ServiceSettings(dev=True, jwt_secret=SECRET, jwt_require_audience_and_issuer=False)
    assert verifier_for(settings).verify(_signed(aud=None, iss=None)).subject == "cw-1"


def test_development_mode_requires_the_development_audience_and_issuer_by_default() -> None:
    verifier = verifier_for(ServiceSettings(dev=True))
    assert verifier.verify(mint_token(DEV_JWT_SECRET, "cw-1", "0380", [])).subject == "cw-1"
    with pytest.raises(AuthenticationError, match="'aud'"):
        verifier.verify(mint_token(DEV_JWT_SECRET, "cw-1", "0380", [], audience=None))
    with pytest.raises(AuthenticationError, match="issuer"):
        verifier.verify(mint_token(DEV_JWT_SECRET, "cw-1", "0380", [], issuer="https://idp.test"))


def test_development_mode_warns_once_at_start_up_that_the_development_secret_verifies_tokens(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        verifier_for(ServiceSettings(dev=True))
    output = capsys.readouterr()
    logged = [r.getMessage() for r in caplog.records] + (output.out + output.err).splitlines()
    warnings = [line for line in logged if "development secret" in line]
    assert len(warnings) == 1 and "NATVERK_DEV=1" in warnings[0]


def test_a_production_configuration_verifies_with_its_own_secret_audience_and_issuer() -> None:
    settings = ServiceSettings(dev=False, jwt_secret=SECRET, jwt_audience=AUDIENCE, jwt_issuer=ISSUER)
    assert verifier_for(settings).verify(_signed()).subject == "cw-1"
