"""What the OpenAPI document says about a request's path: its operations and query parameters."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError


def reject_unknown_query_parameters(request: Request) -> None:
    """Refuse parameters the operation does not declare: a typo must not silently widen a query."""
    operation = documented_operations(request).get(request.method.lower(), {})
    known = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    unknown = sorted(set(request.query_params.keys()) - known)
    if unknown:
        details = [
            {"field": f"query.{name}"[:100], "message": "unknown query parameter"} for name in unknown[:10]
        ]
        raise RequestValidationError(
            [
                {"loc": ("query", d["field"][6:]), "msg": d["message"], "type": "extra_forbidden"}
                for d in details
            ]
        )


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
