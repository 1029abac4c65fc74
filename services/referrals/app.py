"""Wiring of the referrals service: ``create_app(settings)`` builds everything."""

from __future__ import annotations

from fastapi import FastAPI

from contracts.topics import PLACEMENTS_DLQ, REFERRALS, dead_letter_topic
from services.kit.http import build_http_app
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from services.referrals import SERVICE
from services.referrals.api import cases, router
from services.referrals.application import ReferralsApplication
from services.referrals.domain.open_referral import ReferralAlreadyOpen
from services.referrals.domain.referral import ReasonRequired, TransitionNotAllowed
from services.referrals.domain.safety_planning import NothingToExamine
from services.referrals.domain.who_decides import (
    NotTheExaminer,
    NotTheReceivingTeam,
    NotTheReferringCaseWorker,
    OfferedTargets,
    TargetNotOffered,
)
from services.referrals.inbound import placement_consumer
from services.referrals.publication import build_publication_table
from services.referrals.settings import referrals_settings
from services.referrals.subject_access_api import subject_access
from services.referrals.worklist_api import router as worklist

DEADLINE_CHECK_SECONDS = 300.0
ERROR_STATUSES: dict[type[Exception], int] = {
    TransitionNotAllowed: 409,
    ReferralAlreadyOpen: 409,
    ReasonRequired: 422,
    TargetNotOffered: 422,
    NotTheReceivingTeam: 403,
    NotTheReferringCaseWorker: 403,
    NothingToExamine: 409,
    NotTheExaminer: 403,
}


def build_runtime(settings: ServiceSettings) -> ServiceRuntime:
    settings = referrals_settings(settings)
    app = open_store(ReferralsApplication, settings, SERVICE)
    app.response_working_days = settings.referral_response_working_days
    app.offered = OfferedTargets(settings.referral_targets)

    def facts_of(referral_id: object) -> tuple[str, str, str]:
        referral = app.repository.get(referral_id)
        return referral.case_id, referral.municipality, referral.target

    def case_of(aggregate_id: object) -> tuple[str, str]:
        found = app.repository.get(aggregate_id)
        return found.case_id, found.municipality

    return ServiceRuntime(
        SERVICE,
        settings,
        app,
        build_publication_table(facts_of, case_of),
        consumers=[placement_consumer(app)],
        topics=[REFERRALS, dead_letter_topic(REFERRALS), PLACEMENTS_DLQ],
        periodic=[
            (DEADLINE_CHECK_SECONDS, app.check_response_deadlines),
            (DEADLINE_CHECK_SECONDS, app.check_missed_deadlines),
        ],
    )


def create_app(settings: ServiceSettings, start_runtime: bool = True) -> FastAPI:
    return build_http_app(
        build_runtime(settings), [router, cases, subject_access, worklist], ERROR_STATUSES, start_runtime
    )
