"""Wiring of network_support: ``create_app(settings)`` builds everything."""

from __future__ import annotations

from fastapi import FastAPI

from contracts.topics import NETWORK_SUPPORT, dead_letter_topic
from services.kit.committed import WhenCommitted
from services.kit.http import build_http_app
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.settings_teams import team_settings
from services.kit.store import open_store
from services.network_support import SERVICE
from services.network_support.api import routers
from services.network_support.application import NetworkSupportApplication
from services.network_support.domain.follow_up_errors import (
    AfterPlacement,
    BeforePlacement,
    NoSchoolChange,
    SchoolStartBeforeSchoolChange,
)
from services.network_support.domain.happened import DatedAfterToday
from services.network_support.domain.home_return import (
    PhaseDatedBeforePrevious,
    PhaseNotAllowed,
    ProcessAlreadyOpen,
    ReasonRequired,
)
from services.network_support.domain.network_map import ConsentMissing, MemberNamedByRule, UnknownMember
from services.network_support.domain.network_meetings import MeetingReferenceError
from services.network_support.domain.network_placement_inquiry import InquiryConcluded
from services.network_support.domain.plan_limits import PlanFull
from services.network_support.domain.safety_plan_rules import (
    ConcludedBeforeItsFacts,
    DatedBeforeThePlan,
    ResponsibleNotOnMap,
    SafetyPlanConcluded,
    ScaleOutOfRange,
    UnknownRule,
    UnknownStatement,
)
from services.network_support.domain.support_plan import SupportPlanClosed, UnknownAction
from services.network_support.domain.teams import Teams
from services.network_support.inbound import consumers
from services.network_support.metrics import FollowUpMetrics
from services.network_support.publication import build_publication_table

DEADLINE_CHECK_SECONDS = 300.0
ERROR_STATUSES: dict[type[Exception], int] = {
    UnknownMember: 404,
    UnknownStatement: 404,
    UnknownAction: 404,
    UnknownRule: 404,
    MemberNamedByRule: 409,
    PlanFull: 409,
    ConsentMissing: 422,
    PhaseNotAllowed: 409,
    PhaseDatedBeforePrevious: 422,
    ProcessAlreadyOpen: 409,
    ReasonRequired: 422,
    InquiryConcluded: 409,
    NoSchoolChange: 409,
    ScaleOutOfRange: 422,
    BeforePlacement: 422,
    AfterPlacement: 422,
    SchoolStartBeforeSchoolChange: 422,
    SafetyPlanConcluded: 409,
    DatedBeforeThePlan: 422,
    ConcludedBeforeItsFacts: 422,
    SupportPlanClosed: 409,
    ResponsibleNotOnMap: 422,
    MeetingReferenceError: 422,
    DatedAfterToday: 422,
}


def build_runtime(settings: ServiceSettings) -> ServiceRuntime:
    settings = team_settings(settings)  # the teams referrals offers, so the two never disagree
    app = open_store(NetworkSupportApplication, settings, SERVICE)
    app.inquiry_outcome_days = settings.inquiry_outcome_days
    app.teams = Teams(settings.referral_targets)
    runtime = ServiceRuntime(
        SERVICE,
        settings,
        app,
        build_publication_table(
            lambda aggregate_id, version: app.repository.get(aggregate_id, version=version)
        ),
        consumers=consumers(app),
        topics=[NETWORK_SUPPORT, dead_letter_topic(NETWORK_SUPPORT)],
        periodic=[
            (DEADLINE_CHECK_SECONDS, app.check_deadlines),
            (DEADLINE_CHECK_SECONDS, app.check_safety_follow_ups),
            (DEADLINE_CHECK_SECONDS, app.check_inquiry_deadlines),
            (DEADLINE_CHECK_SECONDS, app.check_home_return_follow_ups),
        ],
    )
    app.observer = WhenCommitted(app, FollowUpMetrics(runtime.metrics.registry))
    return runtime


def create_app(settings: ServiceSettings, start_runtime: bool = True) -> FastAPI:
    return build_http_app(build_runtime(settings), routers, ERROR_STATUSES, start_runtime)
