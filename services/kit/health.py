"""Health, readiness and metrics endpoints every service serves."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", responses={503: {"description": "the broker or the store cannot be reached"}})
    async def readyz(request: Request) -> JSONResponse:
        checks, problems = await request.app.state.runtime.readiness()
        status = 200 if all(checks.values()) else 503
        return JSONResponse({"ready": status == 200, "checks": checks, "problems": problems}, status)

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        registry = request.app.state.runtime.metrics.registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
