"""Running one service as its own process: settings, logging, uvicorn."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from services.kit.logs import configure_logging
from services.kit.settings import ServiceSettings, load_settings


def serve(service: str, create_app: Callable[[ServiceSettings], FastAPI]) -> None:
    settings = load_settings(ServiceSettings)
    configure_logging(service, settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port_of(service),
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
