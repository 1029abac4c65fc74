"""Component tests: the app factory with an HTTP client, no broker started (the relay just waits)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.referrals.app import create_app as create_referrals
from tests.conftest import make_settings


@pytest.fixture
async def referrals(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_referrals(make_settings(tmp_path, max_body_bytes=4096), start_runtime=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://referrals") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()
