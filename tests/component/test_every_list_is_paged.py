"""Every list of every service is paged the kit's one way (ARCHITECTURE §2.9): read from the OpenAPI.

A route answers either one object or a page (``items``/``next_cursor``, or a report with a
``next_cursor``), never a bare list; each paged route takes ``limit`` (1-200) and ``cursor``, and
refuses a limit above the maximum or a cursor it did not give out with 422, echoing neither.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.kit.pages import encode_cursor
from services.stack import available_services
from tests.conftest import make_settings
from tests.support.tokens import bearer

ROLES = (
    "case_worker",
    "coordinator",
    "auditor",
    "network_centre",
    "safety_team",
    "ops",
    "family_home_consultant",
)
EVERY_ROLE = bearer("0380", ROLES)
MARKER = "ZQXMARKER123"
PATH_VALUES = {"case_id": "0380-1", "staff_id": "0380-coordinator-1"}
# What the issue names; a new list is found (and must be paged) without being named here.
NAMED_LISTS = {
    ("referrals", "/api/v1/referrals"),
    ("scheduling", "/api/v1/staff"),
    ("scheduling", "/api/v1/staff/{staff_id}/calendar"),
    ("scheduling", "/api/v1/cases/{case_id}/calendar"),
    ("collaboration", "/api/v1/family-homes"),
    ("collaboration", "/api/v1/matching-requests"),
    ("collaboration", "/api/v1/activities"),
    ("case_store", "/api/v1/cases/{case_id}/timeline"),
    ("case_store", "/api/v1/cases/{case_id}/access-log"),
    ("case_store", "/api/v1/audit/verify"),
    *((s, "/api/v1/worklist") for s in ("referrals", "scheduling", "network_support")),
    *((s, "/api/v1/ops/outbox") for s in ("referrals", "scheduling", "network_support", "collaboration")),
}


def _app(service: str) -> FastAPI:
    factory = importlib.import_module(f"services.{service}.app").create_app
    return factory(make_settings(Path(tempfile.mkdtemp(prefix=f"paging-{service}-"))), start_runtime=False)


def _resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _gets() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(service, path, operation, its 200 answer's schema) of every JSON GET of every service."""
    for service in available_services():
        app = _app(service)
        try:
            document = app.openapi()
        finally:
            app.state.runtime.app.close()
        components = document.get("components", {}).get("schemas", {})
        for path, operations in document["paths"].items():
            get = operations.get("get")
            content = (get or {}).get("responses", {}).get("200", {}).get("content", {})
            if path.startswith("/api/v1/") and "application/json" in content:
                yield service, path, get, _resolved(content["application/json"]["schema"], components)


GETS = list(_gets())
LISTS = [
    (service, path) for service, path, _, schema in GETS if "next_cursor" in schema.get("properties", {})
]


def test_no_route_answers_a_bare_list_and_every_named_list_is_paged() -> None:
    assert [(s, p) for s, p, _, schema in GETS if schema.get("type") == "array"] == []
    assert set(LISTS) >= NAMED_LISTS, NAMED_LISTS - set(LISTS)


def test_every_paged_route_takes_a_limit_of_1_to_200_defaulting_to_50_and_a_cursor() -> None:
    for service, path, operation, _ in GETS:
        if (service, path) not in LISTS:
            continue
        query = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"}
        limit = query.get("limit", {})
        assert (limit.get("minimum"), limit.get("maximum"), limit.get("default")) == (1, 200, 50), path
        assert query.get("cursor", {}).get("maxLength") == 200, path


@pytest.fixture(scope="module")
def clients() -> Iterator[dict[str, httpx.AsyncClient]]:
    apps = {service: _app(service) for service in {service for service, _ in LISTS}}
    yield {
        service: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{service}")
        for service, app in apps.items()
    }
    for app in apps.values():
        app.state.runtime.app.close()


@pytest.mark.parametrize(("service", "path"), LISTS, ids=[f"{s} {p}" for s, p in LISTS])
async def test_a_limit_above_the_maximum_is_refused_with_422(
    clients: dict[str, httpx.AsyncClient], service: str, path: str
) -> None:
    url = path.format(**PATH_VALUES)
    for limit in ("201", "0", MARKER):
        response = await clients[service].get(url, params={"limit": limit}, headers=EVERY_ROLE)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_request"
        assert response.json()["error"]["details"][0]["field"] == "query.limit"
        assert MARKER not in response.text


@pytest.mark.parametrize(("service", "path"), LISTS, ids=[f"{s} {p}" for s, p in LISTS])
async def test_a_bad_cursor_is_refused_with_422_invalid_cursor_and_not_echoed(
    clients: dict[str, httpx.AsyncClient], service: str, path: str
) -> None:
    url = path.format(**PATH_VALUES)
    for cursor in (MARKER, MARKER * 17, f"{MARKER}!", f"{MARKER}=="):
        response = await clients[service].get(url, params={"cursor": cursor}, headers=EVERY_ROLE)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_cursor"
        assert MARKER not in response.text and cursor not in response.text


@pytest.mark.parametrize(("service", "path"), LISTS, ids=[f"{s} {p}" for s, p in LISTS])
async def test_a_forged_cursor_with_a_number_too_large_to_store_is_refused_with_422_invalid_cursor(
    clients: dict[str, httpx.AsyncClient], service: str, path: str
) -> None:
    """A cursor is the caller's to send back: one forged to hold 2**63 reached the store (500)."""
    url = path.format(**PATH_VALUES)
    for key in (2**63 - 1, 2**63, -(2**63) - 1, 10**30, ["2026-01-01T00:00:00", 2**64]):
        cursor = encode_cursor(key)
        response = await clients[service].get(url, params={"cursor": cursor}, headers=EVERY_ROLE)
        assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid_cursor"), key
