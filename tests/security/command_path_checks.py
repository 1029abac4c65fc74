"""What the command-path properties look at: every service's routes, answers, and a marker value.

Routes come from each app's own OpenAPI (``api_operations``), so a route added tomorrow is
tested tomorrow.  The marker is an unlikely string sent wherever a caller can put a value;
``echo_in`` says where an answer shows it.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import httpx
from eventsourcing.persistence import OperationalError

from services.stack import available_services
from tests.security.command_path_world import World, build_app

MARKER = "ZQXMARKER123"
UNAVAILABLE = {
    "error": {"code": "unavailable", "message": "the store is unavailable: retry later", "details": []}
}
NOT_COMPARED = {"x-correlation-id", "content-length", "date"}  # of two answers that must look alike
SERVICES = {"referrals", "scheduling", "network_support", "collaboration", "case_store"}


def api_operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(service, METHOD, path, operation) of every /api/v1/ operation of every service's OpenAPI."""
    found = []
    for service in available_services():
        app = build_app(service, Path(tempfile.mkdtemp(prefix=f"command-path-{service}-")))
        try:
            for path, operations in app.openapi()["paths"].items():
                if path.startswith("/api/v1/"):
                    found += [(service, m.upper(), path, op) for m, op in operations.items()]
        finally:
            app.state.runtime.app.close()
    return found


def key(value: str = "k1") -> dict[str, str]:
    return {"Idempotency-Key": value}


def body_of(response: httpx.Response) -> Any:
    return response.json() if "json" in response.headers.get("content-type", "") else response.content


def error_code(response: httpx.Response) -> str | None:
    body = body_of(response)
    return body.get("error", {}).get("code") if isinstance(body, dict) else None


def case_data_in(world: World, response: httpx.Response) -> set[str]:
    return {value for value in world.case_data if value in response.text}


def comparable(response: httpx.Response, replace: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    """Status, body (with ``replace`` applied) and the headers that must not differ."""
    text = response.text
    for value, instead in replace.items():
        text = text.replace(value, instead)
    return response.status_code, text, {k: v for k, v in response.headers.items() if k not in NOT_COMPARED}


class Refused:
    """An access log that cannot be written: every attempt is counted, then refused."""

    def __init__(self) -> None:
        self.attempts = 0

    def __call__(self, *_: object, **__: object) -> None:
        self.attempts += 1
        raise OperationalError("disk I/O error")


# -- the marker -------------------------------------------------------------------------------
def strings(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where each string of a JSON value is (a path of keys and indexes)."""
    if isinstance(value, str):
        return [where]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    return [found for k, v in items for found in strings(v, (*where, k))]


def marked(value: Any, *at: tuple[Any, ...]) -> Any:
    """``value`` with the strings at ``at`` (every string if none is named) replaced by the marker."""
    result = copy.deepcopy(value)
    for where in at or strings(value):
        if not where:
            return MARKER
        *inner, last = where
        target = result
        for step in inner:
            target = target[step]
        target[last] = MARKER
    return result


def echo_in(response: httpx.Response) -> str | None:
    """Where the answer echoes the marker, if it does.

    A success may show, whole, a value it stored for its caller (a case id, a title); an error
    never shows one, nor does any header.
    """
    if any(MARKER in name or MARKER in value for name, value in response.headers.items()):
        return "a header"
    if MARKER not in response.text:
        return None
    if not response.is_success:
        return "the error body"
    shown = body_of(response)
    whole = [] if isinstance(shown, bytes) else [at for at in strings(shown) if marked(shown, at) == shown]
    return None if len(whole) == response.text.count(MARKER) else "the answer, inside a text"
