"""Health, readiness and metrics endpoints every service serves."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, bool]
    problems: list[str]


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])
    router.add_api_route("/healthz", healthz, methods=["GET"], response_model=Health)
    router.add_api_route(
        "/readyz",
        readyz,
        methods=["GET"],
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "the broker or the store cannot be reached"}},
    )
    router.add_api_route("/metrics", metrics, methods=["GET"], response_class=Response)
    return router


async def healthz() -> Health:
    return Health(status="ok")


async def readyz(request: Request) -> JSONResponse:
    checks, problems = await request.app.state.runtime.readiness()
    ready = all(checks.values())
    body = Readiness(ready=ready, checks=checks, problems=problems)
    return JSONResponse(body.model_dump(), 200 if ready else 503)


async def metrics(request: Request) -> Response:
    registry = request.app.state.runtime.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
