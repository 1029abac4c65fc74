"""The HTTP side every service shares: health, readiness, metrics, auth, errors.

Errors have one shape, ``{"error": {"code", "message", "details"}}``, and
never echo the submitted values (they may be personal identity numbers).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Annotated, Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.kit.auth import AuthenticationError, Caller
from services.kit.cases import CaseDataNotFound
from services.kit.domain.idempotency import IdempotencyKeyReused
from services.kit.logs import bind_correlation_id, get_logger
from services.kit.runtime import ServiceRuntime

log = get_logger(__name__)
_bearer = HTTPBearer(auto_error=False)


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    """The shape of every error response."""

    error: ErrorInfo


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "bad request header",
        401: "no acceptable bearer token",
        403: "the caller's roles do not allow this",
        404: "not found, or another municipality's",
        409: "the command conflicts with the current state",
        413: "request body too large",
        422: "the request is not valid",
        503: "the store is unavailable (nothing was done, no data returned)",
    }.items()
}


def error_body(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


class ApiError(HTTPException):
    """An HTTP error with a machine-readable code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code


NOT_FOUND_MESSAGE = "nothing found that you may see"


def not_found(_what: str = "") -> ApiError:
    """The one answer for absent and for another municipality's data: the two must look alike."""
    return ApiError(404, "not_found", NOT_FOUND_MESSAGE)


def forbidden(message: str = "your roles do not allow this") -> ApiError:
    return ApiError(403, "forbidden", message)


def authenticate(request: Request) -> Caller:
    """The caller of an /api request, or ApiError(401); the token itself is never logged."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthenticated", "a bearer token is required")
    runtime: ServiceRuntime = request.app.state.runtime
    try:
        return runtime.verifier.verify(token.strip())
    except AuthenticationError as error:
        log.info("token refused", reason=str(error), path=request.url.path)
        raise ApiError(401, "unauthenticated", str(error)) from None


def current_caller(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    # The middleware authenticated every /api request before its body was read.
    caller = getattr(request.state, "caller", None)
    return caller if caller is not None else authenticate(request)


CallerDep = Annotated[Caller, Depends(current_caller)]


def reject_unknown_query_parameters(request: Request) -> None:
    """Refuse parameters the operation does not declare: a typo must not silently widen a query."""
    operation = _documented_operations(request).get(request.method.lower(), {})
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


def require_roles(caller: Caller, *roles: str) -> None:
    if not caller.has_any_role(*roles):
        raise forbidden(f"requires one of the roles: {', '.join(sorted(roles))}")


class BodySizeLimit:
    """Refuse request bodies over ``limit`` bytes with 413, before reading them all."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        response = JSONResponse(
            error_body("payload_too_large", f"request body exceeds {self.limit} bytes"), status_code=413
        )
        await response({"type": "http"}, _empty_receive, send)


class _BodyTooLarge(Exception):
    pass


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _install_error_handlers(app: FastAPI, error_statuses: dict[type[Exception], int]) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in item["loc"]), "message": item["msg"]}
            for item in error.errors()
        ]
        return JSONResponse(error_body("invalid_request", "the request is not valid", details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = getattr(error, "code", _snake(HTTPStatus(error.status_code).phrase.replace(" ", "")))
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        if error.status_code == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(error_body(code, str(error.detail)), error.status_code, headers=headers)

    @app.exception_handler(IntegrityError)
    async def conflict(_: Request, __: IntegrityError) -> JSONResponse:
        message = "it already exists, or was changed at the same moment by another request: reload and retry"
        return JSONResponse(error_body("conflict", message), 409)

    @app.exception_handler(CaseDataNotFound)
    async def absent(_: Request, __: CaseDataNotFound) -> JSONResponse:
        return JSONResponse(error_body("not_found", NOT_FOUND_MESSAGE), 404)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def store_unavailable(_: Request, error: Exception) -> JSONResponse:
        # Fail closed: a command or an access record that could not be stored returns no data.
        log.warning("store unavailable", error_type=type(error).__name__)
        return JSONResponse(error_body("unavailable", "the store is unavailable: retry later"), 503)

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(_: Request, error: IdempotencyKeyReused) -> JSONResponse:
        return JSONResponse(error_body("idempotency_key_reused", str(error)), 422)

    for error_type, status in error_statuses.items():

        async def domain_error(_: Request, error: Exception, status: int = status) -> JSONResponse:
            return JSONResponse(error_body(_snake(type(error).__name__), str(error)), status)

        app.add_exception_handler(error_type, domain_error)


def _documented_operations(request: Request) -> dict[str, Any]:
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


def _allowed_methods(request: Request) -> str:
    """Every method the API documents at this path (Starlette names only the first route's)."""
    return ", ".join(sorted(method.upper() for method in _documented_operations(request)))


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", responses={503: {"description": "the broker or the store cannot be reached"}})
    async def readyz(request: Request) -> JSONResponse:
        checks = await request.app.state.runtime.readiness()
        status = 200 if all(checks.values()) else 503
        return JSONResponse({"ready": status == 200, "checks": checks}, status)

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        registry = request.app.state.runtime.metrics.registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


def build_http_app(
    runtime: ServiceRuntime,
    routers: Iterable[APIRouter],
    error_statuses: dict[type[Exception], int] | None = None,
    start_runtime: bool = True,
) -> FastAPI:
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
    _install_error_handlers(app, error_statuses or {})
    app.include_router(_health_router())
    for router in routers:
        app.include_router(
            router,
            prefix="/api/v1",
            responses=ERROR_RESPONSES,
            dependencies=[Depends(reject_unknown_query_parameters)],
        )
    _install_request_middleware(app, runtime)
    app.add_middleware(BodySizeLimit, limit=runtime.settings.max_body_bytes)
    return app


def _install_request_middleware(app: FastAPI, runtime: ServiceRuntime) -> None:
    @app.middleware("http")
    async def correlate_and_measure(request: Request, call_next: Callable[..., Any]) -> Response:
        correlation_id = request.headers.get("x-correlation-id") or uuid.uuid4().hex
        bind_correlation_id(correlation_id[:64])
        started = time.perf_counter()
        if request.url.path.startswith("/api/"):
            try:
                request.state.caller = authenticate(request)  # before anything reads the body
            except ApiError as refused:
                headers = {"WWW-Authenticate": "Bearer"}
                return JSONResponse(error_body(refused.code, str(refused.detail)), 401, headers=headers)
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        runtime.metrics.http_latency.labels(
            request.method, template, f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        response.headers["x-correlation-id"] = correlation_id[:64]
        return response
