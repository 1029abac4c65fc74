"""Wiring of collaboration: ``create_app(settings)`` builds everything."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from contracts.topics import COLLABORATION, PARTNER_TOPICS, dead_letter_topic
from services.collaboration import SERVICE
from services.collaboration.api import routers
from services.collaboration.application import (
    AlreadyRegistered,
    CollaborationApplication,
    DuplicateRequest,
    NotOfferable,
    ProtectedChild,
)
from services.collaboration.domain.activity import (
    ActivityCancelled,
    ActivityStarted,
    BookingChanged,
    InvalidActivity,
    NotEnoughSeats,
    NotOpenToYou,
    UnknownBooking,
)
from services.collaboration.domain.family_home import InvalidHome, KinshipHomeNotShareable
from services.collaboration.domain.home_profile import OfferDoesNotFit
from services.collaboration.domain.matching_request import (
    InvalidRequest,
    NotAddressed,
    RequestClosed,
    UnknownOffer,
)
from services.collaboration.domain.place_holds import NoPlaceToHold
from services.collaboration.inbound import consumers
from services.collaboration.metrics import CollaborationMetrics
from services.collaboration.publication import build_publication_table
from services.kit.cases import CaseDataNotFound
from services.kit.http import build_http_app
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.store import open_store

EXPIRY_CHECK_SECONDS = 60.0
ERROR_STATUSES: dict[type[Exception], int] = {
    AlreadyRegistered: 409,
    DuplicateRequest: 409,
    RequestClosed: 409,
    ActivityCancelled: 409,
    ActivityStarted: 409,
    BookingChanged: 409,
    NoPlaceToHold: 409,
    OfferDoesNotFit: 422,
    NotEnoughSeats: 409,
    NotOfferable: 409,
    KinshipHomeNotShareable: 422,
    InvalidHome: 422,
    InvalidRequest: 422,
    InvalidActivity: 422,
    ProtectedChild: 422,
}
# The domain's own "not there for you": answered exactly like absent data (the use cases check
# visibility first, so for another municipality's object these are a second line).
ABSENT = (NotAddressed, NotOpenToYou, UnknownBooking, UnknownOffer)


def build_runtime(settings: ServiceSettings) -> ServiceRuntime:
    app = open_store(CollaborationApplication, settings, SERVICE)
    app.request_lifetime = timedelta(hours=settings.matching_request_lifetime_hours)
    app.hold_lifetime = timedelta(hours=settings.offer_hold_hours)

    def load(aggregate_id: Any, version: int) -> Any:
        return app.repository.get(aggregate_id, version=version)

    runtime = ServiceRuntime(
        SERVICE,
        settings,
        app,
        # The relay translates an event again on every retry and republish: it counts nothing.
        build_publication_table(load, withheld=lambda _: None),
        consumers=consumers(app),
        topics=[COLLABORATION, dead_letter_topic(COLLABORATION), *PARTNER_TOPICS],
        periodic=[(EXPIRY_CHECK_SECONDS, app.expire_requests), (EXPIRY_CHECK_SECONDS, app.lapse_holds)],
    )
    kpis = CollaborationMetrics(runtime.metrics.registry)
    kpis.follow(app, build_publication_table(load, withheld=kpis.count_withheld))
    return runtime


def create_app(settings: ServiceSettings, start_runtime: bool = True) -> FastAPI:
    http = build_http_app(build_runtime(settings), routers, ERROR_STATUSES, start_runtime)
    for error_type in ABSENT:
        http.add_exception_handler(error_type, http.exception_handlers[CaseDataNotFound])
    return http
