"""What the OpenAPI document says about a request's path: its operations and query parameters."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError


def reject_unknown_query_parameters(request: Request) -> None:
    """Refuse parameters the operation does not declare (a typo must not silently widen a query)
    without repeating their names (one may be a personal identity number), and a parameter given
    twice (which of the two would count is a guess)."""
    declared = [p for p in _operation(request).get("parameters", []) if p.get("in") == "query"]
    known = sorted(p["name"] for p in declared)
    if set(request.query_params.keys()) - set(known):
        message = f"unknown query parameter (allowed: {', '.join(known) or 'none'})"
        raise RequestValidationError([{"loc": ("query",), "msg": message, "type": "extra_forbidden"}])
    lists = {p["name"] for p in declared if _is_list(p.get("schema", {}))}
    repeated = [name for name in known if name not in lists and len(request.query_params.getlist(name)) > 1]
    if repeated:
        raise RepeatedQueryParameter(repeated[0])


class RepeatedQueryParameter(HTTPException):
    """422 ``repeated_query_parameter`` (the kit's error handler answers with ``code``)."""

    code = "repeated_query_parameter"

    def __init__(self, name: str) -> None:
        super().__init__(422, f"query parameter {name!r} is given more than once")


def _is_list(schema: dict[str, Any]) -> bool:
    """An array parameter (``?x=1&x=2`` is its way of giving several), or an optional one."""
    return any(s.get("type") == "array" for s in [schema, *schema.get("anyOf", [])])


def _operation(request: Request) -> dict[str, Any]:
    return documented_operations(request).get(request.method.lower(), {})


def documented_operations(request: Request) -> dict[str, Any]:
    """The OpenAPI operations (by lower-case method) documented at this request's path."""
    operations: dict[str, Any] = {}
    for pattern, by_method in _path_patterns(request.app):
        if pattern.fullmatch(request.url.path):
            operations.update(by_method)
    return operations


def _path_patterns(app: FastAPI) -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    patterns = getattr(app.state, "path_patterns", None)
    if patterns is None:
        patterns = [
            (re.compile(re.sub(r"\{[^/}]+\}", "[^/]+", template)), by_method)
            for template, by_method in app.openapi().get("paths", {}).items()
        ]
        app.state.path_patterns = patterns
    return patterns


def allowed_methods(request: Request) -> str:
    """Every method the API documents at this path (Starlette names only the first route's)."""
    return ", ".join(sorted(method.upper() for method in documented_operations(request)))
