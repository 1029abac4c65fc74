"""What every step of the demo needs: the stack, an HTTP client, the demo's case, and patience."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from services.kit.settings import ServiceSettings
from services.kit.token_minting import mint_token
from services.stack import Stack

UPPSALA, VASTERAS = "0380", "1980"


@dataclass(frozen=True)
class Demo:
    """What every step of the demo needs: the stack, an HTTP client and the demo's case."""

    client: httpx.Client
    stack: Stack
    settings: ServiceSettings
    case_id: str

    def headers(
        self, *roles: str, municipality: str = UPPSALA, subject: str = "demo-staff"
    ) -> dict[str, str]:
        secret = self.settings.jwt_secret.get_secret_value()
        return {"Authorization": f"Bearer {mint_token(secret, subject, municipality, list(roles))}"}

    def call(self, method: str, service: str, path: str, *roles: str, **options: Any) -> Any:
        who = {
            "municipality": options.pop("municipality", UPPSALA),
            "subject": options.pop("subject", "demo-staff"),
        }
        headers = {**self.headers(*roles, **who), **options.pop("headers", {})}
        response = self.client.request(method, f"{self.stack.url(service)}{path}", headers=headers, **options)
        response.raise_for_status()
        return response.json() if response.content else None

    def eventually(self, read: Callable[[], Any], seconds: float = 20) -> Any:
        """``read()``'s first answer that is not None within ``seconds`` (a service still catching
        up answers 404 meanwhile), else None."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                found = read()
            except httpx.HTTPStatusError:
                found = None
            if found is not None:
                return found
            time.sleep(0.3)
        return None
