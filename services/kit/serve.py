"""Running one service as its own process: settings, logging, uvicorn."""

from __future__ import annotations

import sys
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from services.kit.gc_tuning import tune_garbage_collection
from services.kit.logs import configure_logging
from services.kit.settings import ServiceSettings
from services.kit.settings_loader import StartupRefused, load_settings
from services.kit.store_setup import StoreUnavailable


def serve(service: str, create_app: Callable[[ServiceSettings], FastAPI]) -> None:
    settings = load_settings(ServiceSettings)
    configure_logging(service, settings.log_level)
    try:
        app = create_app(settings)
    except StartupRefused as refused:  # a setting only this service needs: one line, as for the others
        print(f"natverk: invalid configuration, not starting:\n  {refused}", file=sys.stderr)
        raise SystemExit(2) from None
    except StoreUnavailable as unavailable:  # a supervisor starts it again; the reason is one line
        print(f"natverk: {service} cannot open its store, not starting:\n  {unavailable}", file=sys.stderr)
        raise SystemExit(1) from None
    tune_garbage_collection()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port_of(service),
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
