"""HTTP API of the case store: timelines, audit verification and the access log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from services.case_store.application import CaseStoreApplication
from services.kit.access import DEFAULT_PURPOSE, PurposeHeader, check_case_access
from services.kit.auth import Caller
from services.kit.http import ApiError, CallerDep, not_found, require_roles

READ_ROLES = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
AUDIT_ROLES = ("auditor",)
CaseIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]


class TimelineEntry(BaseModel):
    position: int
    recorded_at: datetime
    occurred_at: datetime
    source: str
    event_type: str
    actor: str
    summary: str
    hash: str


class TimelineView(BaseModel):
    case_id: str
    municipality: str
    as_of: datetime | None
    entries: list[TimelineEntry]


class VerificationView(BaseModel):
    case_id: str
    ok: bool
    entries_checked: int
    first_broken_position: int | None
    reason: str | None


class AccessRecord(BaseModel):
    recorded_at: datetime
    actor: str
    actor_municipality: str
    service: str
    resource: str
    purpose: str
    outcome: str


def _entry(event: Any) -> TimelineEntry:
    return TimelineEntry(
        position=event.position,
        recorded_at=event.timestamp,
        occurred_at=datetime.fromisoformat(event.occurred_at),
        source=event.source,
        event_type=event.event_type,
        actor=event.actor,
        summary=event.summary,
        hash=event.entry_hash,
    )


def build_router() -> APIRouter:
    router = APIRouter(prefix="/cases", tags=["cases"])

    def application(request: Request) -> CaseStoreApplication:
        return request.app.state.runtime.app

    def owned_case(request: Request, caller: Caller, case_id: str, resource: str, purpose: str) -> Any:
        """Log the attempt first; 404 for an unknown case or another municipality's."""
        app = application(request)
        timeline = app.timeline(case_id)
        if timeline is None:
            app.record_access(case_id, caller.subject, caller.municipality, resource, purpose, "not_found")
            raise not_found("case")
        check_case_access(
            app, request.app.state.runtime.metrics, caller, case_id, timeline.municipality, resource, purpose
        )
        return timeline

    @router.get("/{case_id}/timeline", response_model=TimelineView)
    def get_timeline(
        case_id: CaseIdPath,
        request: Request,
        caller: CallerDep,
        as_of: Annotated[datetime | None, Query(description="RFC 3339 time with zone")] = None,
        purpose: PurposeHeader = DEFAULT_PURPOSE,
    ) -> TimelineView:
        require_roles(caller, *READ_ROLES)
        if as_of is not None and as_of.tzinfo is None:
            raise ApiError(422, "invalid_request", "as_of must be an RFC 3339 time with a zone offset")
        timeline = owned_case(request, caller, case_id, "timeline", purpose)
        entries = [e for e in timeline.entries if as_of is None or e.timestamp <= as_of]
        return TimelineView(
            case_id=case_id,
            municipality=timeline.municipality,
            as_of=as_of,
            entries=[_entry(e) for e in entries],
        )

    @router.get("/{case_id}/verify", response_model=VerificationView)
    def verify_timeline(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = "audit"
    ) -> VerificationView:
        require_roles(caller, *AUDIT_ROLES, "coordinator")
        owned_case(request, caller, case_id, "verify", purpose)
        result = application(request).verify(case_id)
        if result is None:
            raise not_found("case")
        return VerificationView(case_id=case_id, **result.__dict__)

    @router.get("/{case_id}/access-log", response_model=list[AccessRecord])
    def get_access_log(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = "audit"
    ) -> list[AccessRecord]:
        require_roles(caller, *AUDIT_ROLES)
        owned_case(request, caller, case_id, "access-log", purpose)
        log = application(request).access_log(case_id)
        return [
            AccessRecord(
                recorded_at=r.timestamp,
                actor=r.actor,
                actor_municipality=r.actor_municipality,
                service=r.service,
                resource=r.resource,
                purpose=r.purpose,
                outcome=r.outcome,
            )
            for r in (log.records if log else [])
        ]

    return router
