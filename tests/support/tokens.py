"""Bearer tokens as development mode accepts them: the development secret, audience and issuer.

Development mode (``NATVERK_DEV=1``) is set for every test by tests/conftest.py.  Tokens of an
identity provider (RS256, ES256, a JWKS) come from ``tests.support.identity_provider``.
"""

from __future__ import annotations

from services.kit.settings import DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET
from services.kit.token_minting import mint_token


def bearer(
    municipality: str = "0380", roles: tuple[str, ...] = ("case_worker",), subject: str = "staff-1"
) -> dict[str, str]:
    token = mint_token(
        DEV_JWT_SECRET, subject, municipality, list(roles), audience=DEV_JWT_AUDIENCE, issuer=DEV_JWT_ISSUER
    )
    return {"Authorization": f"Bearer {token}"}
