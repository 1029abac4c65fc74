"""Bearer tokens signed with the development secret the test settings use."""

from __future__ import annotations

from services.kit.auth import mint_token
from services.kit.settings import DEV_JWT_SECRET


def bearer(
    municipality: str = "0380", roles: tuple[str, ...] = ("case_worker",), subject: str = "staff-1"
) -> dict[str, str]:
    token = mint_token(DEV_JWT_SECRET, subject, municipality, list(roles))
    return {"Authorization": f"Bearer {token}"}
