"""Reads whose credential is a secret token in the path, for clients that send no bearer header
(a calendar program subscribing to a feed).

The middleware lets exactly the declared route templates through without a bearer token
(``services.kit.http``; each ``{token}`` matches one path segment); the route's dependency,
``token_kit(resolve, purpose)``, turns the token into the caller it was issued to and gives
the kit's command path for it: roles, the access log (fail-closed) and 404 for anything absent
are the same as for every other read.  An unknown or revoked token is the one 404.  The token is
never logged: access records and metrics name the route template, errors say nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import Request, Response

from services.kit.auth import Caller
from services.kit.commands import CommandPath
from services.kit.errors import not_found

TokenResolver = Callable[[Any, str], Caller | None]


def path_token_pattern(templates: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the declared templates (``/api/v1/feeds/{token}.ics``); None for none."""
    alternatives = [re.escape(t).replace(re.escape("{token}"), "[^/]+") for t in templates]
    return re.compile(f"^(?:{'|'.join(alternatives)})$") if alternatives else None


def token_kit(resolve: TokenResolver, purpose: str) -> Callable[..., CommandPath]:
    """A dependency: the command path of the caller ``resolve(app, token)`` names, or 404."""

    def dependency(request: Request, response: Response, token: str) -> CommandPath:
        runtime = request.app.state.runtime
        caller = resolve(runtime.app, token)
        if caller is None:
            raise not_found()
        return CommandPath(request, response, caller, purpose, None, b"")

    return dependency
