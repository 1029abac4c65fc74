"""The one shape of every error response, and the handlers that give it.

``{"error": {"code", "message", "details"}}``; messages are fixed texts or name
fields, never a submitted value (it may be a personal identity number).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound
from services.kit.domain.idempotency import IdempotencyKeyReused
from services.kit.domain.parked_notification import NotParked, StillUnpublishable
from services.kit.index import UNREADABLE
from services.kit.logs import get_logger
from services.kit.openapi_paths import allowed_methods
from services.kit.pages import InvalidCursor

log = get_logger(__name__)


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


def require_roles(caller: Caller, *roles: str) -> None:
    if not caller.has_any_role(*roles):
        raise forbidden(f"requires one of the roles: {', '.join(sorted(roles))}")


def install_error_handlers(app: FastAPI, error_statuses: dict[type[Exception], int]) -> None:
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
            headers["Allow"] = allowed_methods(request)
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

    async def store_unreadable(_: Request, error: Exception) -> JSONResponse:
        # A stored event that no longer decodes (altered under the service): no answer from a
        # partial store; `natverk verify` names it in the case store.
        log.error("stored event unreadable", error_type=type(error).__name__)
        message = "the store holds an event that cannot be read: ops must check it (natverk verify)"
        return JSONResponse(error_body("store_unreadable", message), 503)

    for unreadable in UNREADABLE:  # the same errors the consumer waits on (services.kit.index)
        app.add_exception_handler(unreadable, store_unreadable)

    @app.exception_handler(NotParked)
    async def not_parked(_: Request, error: NotParked) -> JSONResponse:
        return JSONResponse(error_body("not_parked", str(error)), 404)

    @app.exception_handler(StillUnpublishable)
    async def still_unpublishable(_: Request, error: StillUnpublishable) -> JSONResponse:
        return JSONResponse(error_body("still_unpublishable", str(error)), 409)

    @app.exception_handler(InvalidCursor)
    async def invalid_cursor(_: Request, error: InvalidCursor) -> JSONResponse:
        return JSONResponse(error_body("invalid_cursor", str(error)), 422)

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(_: Request, error: IdempotencyKeyReused) -> JSONResponse:
        return JSONResponse(error_body("idempotency_key_reused", str(error)), 422)

    for error_type, status in error_statuses.items():

        async def domain_error(_: Request, error: Exception, status: int = status) -> JSONResponse:
            return JSONResponse(error_body(_snake(type(error).__name__), str(error)), status)

        app.add_exception_handler(error_type, domain_error)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
