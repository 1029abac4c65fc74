"""Who is calling: the bearer token of an /api request, verified once, before its body is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.kit.auth import AuthenticationError, Caller
from services.kit.errors import ApiError
from services.kit.logs import get_logger

if TYPE_CHECKING:
    from services.kit.runtime import ServiceRuntime

log = get_logger(__name__)
_bearer = HTTPBearer(auto_error=False)


def authenticate(request: Request) -> Caller:
    """The caller of an /api request, or ApiError(401); the token itself is never logged."""
    if len(request.headers.getlist("authorization")) > 1:
        # Which one a proxy, the app or a log reads is not certain: refuse rather than choose.
        raise ApiError(401, "unauthenticated", "ambiguous credentials: more than one Authorization header")
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
