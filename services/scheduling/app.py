"""Wiring of the scheduling service: ``create_app(settings)`` builds everything."""

from __future__ import annotations

from fastapi import FastAPI

from contracts.topics import SCHEDULING, dead_letter_topic
from services.kit.committed import WhenCommitted
from services.kit.http import build_http_app
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from services.scheduling import SERVICE
from services.scheduling.api import routers
from services.scheduling.application import (
    AlreadyRegistered,
    DoubleBooking,
    SchedulingApplication,
    StaffMemberRemoved,
    UnknownStaff,
)
from services.scheduling.domain.feed_token import FeedTokenRevoked
from services.scheduling.domain.meeting import InvalidTimes, MeetingClosed
from services.scheduling.domain.meeting_errors import (
    AlreadyInvited,
    MeetingBegun,
    MeetingNotBegun,
    OutsideWorkingHours,
    OverWeeklyCapacity,
    RoleNotNamed,
    StaffMeetingFollowsItsReferral,
)
from services.scheduling.domain.staff_member import InvalidWorkingHours, StillOnRoster
from services.scheduling.feed_tokens import FEED_PATH
from services.scheduling.inbound import placement_consumer, referral_consumer
from services.scheduling.metrics import SchedulingMetrics
from services.scheduling.publication import build_publication_table

DEADLINE_CHECK_SECONDS = 300.0
ERROR_STATUSES: dict[type[Exception], int] = {
    DoubleBooking: 409,
    AlreadyRegistered: 409,
    MeetingClosed: 409,
    MeetingNotBegun: 409,
    MeetingBegun: 409,
    RoleNotNamed: 409,
    AlreadyInvited: 409,
    OutsideWorkingHours: 409,
    OverWeeklyCapacity: 409,
    StaffMeetingFollowsItsReferral: 409,
    FeedTokenRevoked: 409,
    InvalidTimes: 422,
    InvalidWorkingHours: 422,
    UnknownStaff: 422,
    StillOnRoster: 409,
    StaffMemberRemoved: 409,
}


def build_runtime(settings: ServiceSettings) -> ServiceRuntime:
    app = open_store(SchedulingApplication, settings, SERVICE)
    app.seed_default_roster()
    runtime = ServiceRuntime(
        SERVICE,
        settings,
        app,
        build_publication_table(lambda meeting_id, version: app.repository.get(meeting_id, version=version)),
        consumers=[referral_consumer(app), placement_consumer(app)],
        topics=[SCHEDULING, dead_letter_topic(SCHEDULING)],
        periodic=[
            (DEADLINE_CHECK_SECONDS, app.check_staff_meetings_held),
            (DEADLINE_CHECK_SECONDS, app.retry_unbooked_staff_meetings),
            (DEADLINE_CHECK_SECONDS, app.check_unbooked_staff_meetings),
        ],
    )
    app.observer = WhenCommitted(app, SchedulingMetrics(runtime.metrics.registry))
    return runtime


def create_app(settings: ServiceSettings, start_runtime: bool = True) -> FastAPI:
    runtime = build_runtime(settings)
    return build_http_app(runtime, routers, ERROR_STATUSES, start_runtime, token_paths=[FEED_PATH])
