"""Wiring of collaboration: ``create_app(settings)`` builds everything."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from contracts.topics import COLLABORATION, PARTNER_TOPICS, dead_letter_topic
from services.collaboration import SERVICE
from services.collaboration.api import build_router
from services.collaboration.application import (
    AlreadyRegistered,
    CollaborationApplication,
    DuplicateRequest,
    NotFound,
    NotOfferable,
    ProtectedChild,
)
from services.collaboration.domain.activity import (
    ActivityCancelled,
    InvalidActivity,
    NotEnoughSeats,
    NotOpenToYou,
    UnknownBooking,
)
from services.collaboration.domain.family_home import InvalidHome, KinshipHomeNotShareable
from services.collaboration.domain.matching_request import (
    InvalidRequest,
    NotAddressed,
    RequestClosed,
    UnknownOffer,
)
from services.collaboration.inbound import consumers
from services.collaboration.metrics import CollaborationMetrics
from services.collaboration.publication import build_publication_table
from services.kit.http import build_http_app
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.store import open_store

EXPIRY_CHECK_SECONDS = 60.0
ERROR_STATUSES: dict[type[Exception], int] = {
    NotFound: 404,
    NotAddressed: 404,  # a request not sent to you is, for you, not there
    NotOpenToYou: 404,
    UnknownBooking: 404,
    UnknownOffer: 404,
    AlreadyRegistered: 409,
    DuplicateRequest: 409,
    RequestClosed: 409,
    ActivityCancelled: 409,
    NotEnoughSeats: 409,
    NotOfferable: 409,
    KinshipHomeNotShareable: 422,
    InvalidHome: 422,
    InvalidRequest: 422,
    InvalidActivity: 422,
    ProtectedChild: 422,
}


def build_runtime(settings: ServiceSettings) -> ServiceRuntime:
    app = open_store(CollaborationApplication, settings, SERVICE)
    app.request_lifetime = timedelta(hours=settings.matching_request_lifetime_hours)
    metrics: CollaborationMetrics | None = None

    def expire_requests() -> int:
        expired = app.expire_requests()
        for requester in expired:
            if metrics is not None:
                metrics.requests.labels(requester, "expired").inc()
        return len(expired)

    runtime = ServiceRuntime(
        SERVICE,
        settings,
        app,
        build_publication_table(
            lambda aggregate_id, version: app.repository.get(aggregate_id, version=version),
            withheld=lambda event_type: (
                metrics.withheld.labels(event_type).inc() if metrics is not None else None
            ),
        ),
        consumers=consumers(app),
        topics=[COLLABORATION, dead_letter_topic(COLLABORATION), *PARTNER_TOPICS],
        periodic=[(EXPIRY_CHECK_SECONDS, expire_requests)],
    )
    metrics = CollaborationMetrics(runtime.metrics.registry)
    runtime.collaboration_metrics = metrics  # type: ignore[attr-defined]
    return runtime


def create_app(settings: ServiceSettings, start_runtime: bool = True) -> FastAPI:
    runtime = build_runtime(settings)
    http = build_http_app(runtime, [build_router()], ERROR_STATUSES, start_runtime)
    http.state.metrics = runtime.collaboration_metrics  # type: ignore[attr-defined]
    return http
