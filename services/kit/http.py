"""The HTTP side every service shares: the app factory, authentication, correlation and timing.

Errors (``services.kit.errors``), health (``services.kit.health``), the body limit and
the command path (``services.kit.commands``) live in modules of their own.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from services.kit.access_chains_api import router as access_chains_router
from services.kit.body_limit import BodySizeLimit
from services.kit.callers import CallerDep, authenticate, current_caller
from services.kit.errors import (
    ERROR_RESPONSES,
    NOT_FOUND_MESSAGE,
    ApiError,
    error_body,
    forbidden,
    install_error_handlers,
    not_found,
    require_roles,
)
from services.kit.health import health_router
from services.kit.logs import bind_correlation_id, get_logger
from services.kit.openapi_paths import reject_unknown_query_parameters
from services.kit.ops_api import router as ops_router
from services.kit.path_tokens import path_token_pattern
from services.kit.runtime import ServiceRuntime

__all__ = [
    "NOT_FOUND_MESSAGE",
    "ApiError",
    "CallerDep",
    "build_http_app",
    "current_caller",
    "error_body",
    "forbidden",
    "not_found",
    "require_roles",
]

log = get_logger(__name__)
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    """A closed set for the metric label: any made-up method counts as ``other``."""
    return method if method in HTTP_METHODS else "other"


def build_http_app(
    runtime: ServiceRuntime,
    routers: Iterable[APIRouter],
    error_statuses: dict[type[Exception], int] | None = None,
    start_runtime: bool = True,
    token_paths: Iterable[str] = (),
) -> FastAPI:
    """``token_paths``: the route templates whose credential is a token in the path, not a
    bearer header (``services.kit.path_tokens``); every other /api route needs a bearer token."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if start_runtime:
            await runtime.start()
        try:
            yield
        finally:
            if start_runtime:
                await runtime.stop()

    app = FastAPI(title=f"natverk {runtime.name}", version="1.0.0", lifespan=lifespan)
    app.state.runtime = runtime
    install_error_handlers(app, error_statuses or {})
    app.include_router(health_router())
    ops_routers = [ops_router, access_chains_router] if runtime.relay is not None else []
    for router in [*routers, *ops_routers]:
        app.include_router(
            router,
            prefix="/api/v1",
            responses=ERROR_RESPONSES,
            dependencies=[Depends(reject_unknown_query_parameters)],
        )
    _install_request_middleware(app, runtime, path_token_pattern(token_paths))
    app.add_middleware(BodySizeLimit, limit=runtime.settings.max_body_bytes)
    return app


def _install_request_middleware(
    app: FastAPI, runtime: ServiceRuntime, token_paths: re.Pattern[str] | None
) -> None:
    @app.middleware("http")
    async def correlate_and_measure(request: Request, call_next: Callable[..., Any]) -> Response:
        correlation_id = request.headers.get("x-correlation-id") or uuid.uuid4().hex
        bind_correlation_id(correlation_id[:64])
        started = time.perf_counter()
        path = request.url.path
        if path.startswith("/api/") and not (token_paths and token_paths.fullmatch(path)):
            try:
                # Before anything reads the body; in a worker thread, since a JWKS refresh may wait.
                request.state.caller = await run_in_threadpool(authenticate, request)
            except ApiError as refused:
                headers = {"WWW-Authenticate": "Bearer"}
                return JSONResponse(error_body(refused.code, str(refused.detail)), 401, headers=headers)
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        runtime.metrics.http_latency.labels(
            method_label(request.method), template, f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        response.headers["x-correlation-id"] = correlation_id[:64]
        return response
