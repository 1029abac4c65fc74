"""HTTP API of the referrals service: /api/v1/referrals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from contracts.common import CaseId, Identifier
from contracts.placements import Child
from services.kit.access import DEFAULT_PURPOSE, PurposeHeader, check_case_access
from services.kit.auth import Caller
from services.kit.http import CallerDep, not_found, require_roles
from services.kit.idempotency import IdempotencyDep, IdempotentRequest
from services.referrals.application import ReferralNotFound, ReferralsApplication
from services.referrals.domain.referral import Referral

READ_ROLES = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
HANDLING_ROLES = ("coordinator", "network_centre", "safety_team")


class NewReferral(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId
    target: Literal["network_centre", "safety_team"]
    child: Child
    child_status: Literal["placed", "placement_near"]
    case_worker_id: Identifier
    reason: str = Field(min_length=1, max_length=2000)


class DeclineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class ReferralView(BaseModel):
    """A referral as its municipality's staff see it; never the personal identity number."""

    id: UUID
    case_id: str
    municipality: str
    target: str
    status: str
    child_status: str
    protected_identity: bool
    case_worker_id: str
    origin: str
    placement_id: str | None
    decline_reason: str | None
    created_on: datetime
    modified_on: datetime
    version: int

    @classmethod
    def of(cls, referral: Referral) -> ReferralView:
        return cls(
            id=referral.id,
            case_id=referral.case_id,
            municipality=referral.municipality,
            target=referral.target,
            status=referral.status,
            child_status=referral.child_status,
            protected_identity=referral.protected_identity,
            case_worker_id=referral.case_worker_id,
            origin=referral.origin,
            placement_id=referral.placement_id,
            decline_reason=referral.decline_reason,
            created_on=referral.created_on,
            modified_on=referral.modified_on,
            version=referral.version,
        )


def build_router() -> APIRouter:
    router = APIRouter(prefix="/referrals", tags=["referrals"])

    def application(request: Request) -> ReferralsApplication:
        return request.app.state.runtime.app

    def owned_referral(request: Request, caller: Caller, referral_id: UUID, purpose: str) -> Referral:
        try:
            referral = application(request).get_referral(referral_id)
        except ReferralNotFound:
            raise not_found("referral") from None
        check_case_access(
            application(request),
            request.app.state.runtime.metrics,
            caller,
            referral.case_id,
            referral.municipality,
            f"referral/{referral_id}",
            purpose,
        )
        return referral

    @router.post("", status_code=201, response_model=ReferralView)
    def create_referral(
        body: NewReferral,
        request: Request,
        response: Response,
        caller: CallerDep,
        idempotency: IdempotencyDep,
    ) -> ReferralView:
        require_roles(caller, "case_worker")
        app = application(request)
        if idempotency and (previous := idempotency.previous(app)):
            response.status_code = previous.status
            return ReferralView.of(app.get_referral(UUID(previous.resource_id)))
        referral = app.create_referral(
            idempotency=idempotency,
            case_id=body.case_id,
            municipality=caller.municipality,
            target=body.target,
            child_pin=body.child.pin,
            protected_identity=body.child.protected_identity,
            child_status=body.child_status,
            case_worker_id=body.case_worker_id,
            reason=body.reason,
            actor=caller.subject,
        )
        return ReferralView.of(referral)

    @router.get("", response_model=list[ReferralView])
    def list_referrals(
        request: Request,
        caller: CallerDep,
        case_id: Annotated[CaseId | None, Query()] = None,
        purpose: PurposeHeader = DEFAULT_PURPOSE,
    ) -> list[ReferralView]:
        require_roles(caller, *READ_ROLES)
        app = application(request)
        return [
            ReferralView.of(owned_referral(request, caller, referral_id, purpose))
            for referral_id in app.referral_ids(caller.municipality, case_id)
        ]

    @router.get("/{referral_id}", response_model=ReferralView)
    def get_referral(
        referral_id: UUID, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> ReferralView:
        require_roles(caller, *READ_ROLES)
        return ReferralView.of(owned_referral(request, caller, referral_id, purpose))

    def run_command(
        request: Request,
        response: Response,
        caller: Caller,
        idempotency: IdempotentRequest | None,
        referral_id: UUID,
        what: str,
        action: Callable[[ReferralsApplication], Referral],
    ) -> ReferralView:
        app = application(request)
        if idempotency and (previous := idempotency.previous(app)):
            response.status_code = previous.status
            return ReferralView.of(app.get_referral(referral_id))
        owned_referral(request, caller, referral_id, what)
        return ReferralView.of(action(app))

    @router.post("/{referral_id}/accept", response_model=ReferralView)
    def accept_referral(
        referral_id: UUID,
        request: Request,
        response: Response,
        caller: CallerDep,
        idempotency: IdempotencyDep,
    ) -> ReferralView:
        require_roles(caller, *HANDLING_ROLES)
        return run_command(
            request,
            response,
            caller,
            idempotency,
            referral_id,
            "accept referral",
            lambda app: app.accept_referral(referral_id, caller.subject, idempotency),
        )

    @router.post("/{referral_id}/decline", response_model=ReferralView)
    def decline_referral(
        referral_id: UUID,
        body: DeclineRequest,
        request: Request,
        response: Response,
        caller: CallerDep,
        idempotency: IdempotencyDep,
    ) -> ReferralView:
        require_roles(caller, *HANDLING_ROLES)
        return run_command(
            request,
            response,
            caller,
            idempotency,
            referral_id,
            "decline referral",
            lambda app: app.decline_referral(referral_id, caller.subject, body.reason, idempotency),
        )

    @router.post("/{referral_id}/close", response_model=ReferralView)
    def close_referral(
        referral_id: UUID,
        request: Request,
        response: Response,
        caller: CallerDep,
        idempotency: IdempotencyDep,
    ) -> ReferralView:
        require_roles(caller, *HANDLING_ROLES)
        return run_command(
            request,
            response,
            caller,
            idempotency,
            referral_id,
            "close referral",
            lambda app: app.close_referral(referral_id, caller.subject, idempotency),
        )

    @router.post("/{referral_id}/revoke", response_model=ReferralView)
    def revoke_referral(
        referral_id: UUID,
        request: Request,
        response: Response,
        caller: CallerDep,
        idempotency: IdempotencyDep,
    ) -> ReferralView:
        require_roles(caller, "case_worker")
        return run_command(
            request,
            response,
            caller,
            idempotency,
            referral_id,
            "revoke referral",
            lambda app: app.revoke_referral(referral_id, caller.subject, idempotency),
        )

    return router
