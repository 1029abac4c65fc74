"""Wiring of the case store: ``create_app(settings)`` builds everything."""

from __future__ import annotations

from fastapi import FastAPI

from services.case_store import SERVICE
from services.case_store.api import router as cases_router
from services.case_store.application import CaseStoreApplication
from services.case_store.inbound import consumers
from services.case_store.metrics import PlacementMetrics
from services.case_store.reports import router as reports_router
from services.kit.committed import WhenCommitted
from services.kit.http import build_http_app
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.store import open_store


def build_runtime(settings: ServiceSettings) -> ServiceRuntime:
    app = open_store(CaseStoreApplication, settings, SERVICE)
    specs = consumers(app)
    dlqs = [f"{spec.topic}.dlq" for spec in specs]
    runtime = ServiceRuntime(SERVICE, settings, app, publication=None, consumers=specs, topics=dlqs)
    app.observer = WhenCommitted(app, PlacementMetrics(runtime.metrics.registry))
    return runtime


def create_app(settings: ServiceSettings, start_runtime: bool = True) -> FastAPI:
    # No error of its own to map: an event about a case never conflicts with another
    # municipality's case of the same id (ADR 0016).
    return build_http_app(build_runtime(settings), [cases_router, reports_router], None, start_runtime)
